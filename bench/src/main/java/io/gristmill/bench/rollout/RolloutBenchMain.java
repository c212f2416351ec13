package io.gristmill.bench.rollout;

import ai.djl.Device;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.Generator;
import io.gristmill.rollout.PromptInput;
import io.gristmill.rollout.SampleResult;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Rollout engine throughput on CPU (see bench/README-rollout.md): generated tokens per second for
 * batch sizes 1, 8, 32, 64 with and without the KV cache, for stories260K and a ~15M-parameter
 * random Llama checkpoint, and the marginal per-token cost near positions 32 and 256.
 *
 * <p>Args: {@code [sharedDataDir] [threads] [quick|full] [all|stories|15m]}. Prints Markdown tables
 * and the machine's load average.
 */
public final class RolloutBenchMain {
  private static final int[] BATCHES = {1, 8, 32, 64};
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private RolloutBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path shared = Paths.get(args.length > 0 ? args[0] : "../shared/data");
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    boolean quick = args.length > 2 && args[2].equals("quick");
    String which = args.length > 3 ? args[3] : "all";
    CausalLm.setThreads(threads);
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores visible, %s %s, Java %s, libtorch intra-op threads %d%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        threads);
    System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());
    List<Path> models = models(shared, which);
    for (Path m : models) {
      try (CausalLm lm = CausalLm.load(m, Device.cpu())) {
        System.out.printf(
            Locale.ROOT,
            "%n## %s (%,d parameters)%n%n",
            m.getFileName(),
            lm.config().parameterCount());
        throughput(lm, quick);
        positionCost(lm, quick);
      }
    }
    System.out.printf(Locale.ROOT, "%nload average at end: %s%n", loadAverage());
  }

  private static void throughput(CausalLm lm, boolean quick) {
    int cached = quick ? 32 : 128;
    int uncached = quick ? 16 : 32;
    warm(lm);
    System.out.println(
        "| batch | KV cache tok/s wall ("
            + cached
            + " new) | KV cache tok/CPU-s | no cache tok/s"
            + " wall ("
            + uncached
            + " new) | no cache tok/CPU-s | KV cache vs batch 1 (CPU) |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    double base = 0;
    for (int b : BATCHES) {
      double[] withCache = tokensPerSecond(lm, b, cached, true);
      double[] without = tokensPerSecond(lm, b, uncached, false);
      if (b == 1) {
        base = withCache[1];
      }
      System.out.printf(
          Locale.ROOT,
          "| %d | %,.0f | %,.0f | %,.0f | %,.0f | %.1fx |%n",
          b,
          withCache[0],
          withCache[1],
          without[0],
          without[1],
          withCache[1] / base);
    }
  }

  /** Marginal cost per decode step near a position: (t(p+16) - t(p-16)) / 32, median of 3. */
  private static void positionCost(CausalLm lm, boolean quick) {
    System.out.println();
    System.out.println(
        "| batch | KV cache | CPU ms/step near pos 32 | CPU ms/step near pos 256 | ratio |");
    System.out.println("|---:|---|---:|---:|---:|");
    for (int b : new int[] {1, 8}) {
      for (boolean cache : new boolean[] {true, false}) {
        if (!cache && (quick || b > 1)) {
          continue; // without a cache, cost is quadratic in length: batch 1 shows the trend
        }
        double at32 = stepCost(lm, b, 32, cache);
        double at256 = stepCost(lm, b, 256, cache);
        System.out.printf(
            Locale.ROOT,
            "| %d | %s | %.3f | %.3f | %.2f |%n",
            b,
            cache ? "on" : "off",
            at32,
            at256,
            at256 / at32);
      }
    }
  }

  private static double stepCost(CausalLm lm, int batch, int pos, boolean cache) {
    double[] d = new double[3];
    for (int i = 0; i < 3; i++) {
      double hi = seconds(lm, batch, pos + 16, cache)[1];
      double lo = seconds(lm, batch, pos - 16, cache)[1];
      d[i] = (hi - lo) / 32 * 1000;
    }
    Arrays.sort(d);
    return d[1];
  }

  /** Generated tokens per wall second and per CPU second of the calling thread. */
  private static double[] tokensPerSecond(CausalLm lm, int batch, int newTokens, boolean cache) {
    double[] s = seconds(lm, batch, newTokens, cache);
    return new double[] {batch * (double) newTokens / s[0], batch * (double) newTokens / s[1]};
  }

  /**
   * Wall seconds and CPU seconds of this thread (with one intra-op thread, libtorch computes on the
   * calling thread, so CPU time is the cost without other engineers' load on the machine).
   */
  private static double[] seconds(CausalLm lm, int batch, int newTokens, boolean cache) {
    List<PromptInput> prompts = prompts(lm, batch);
    GenerationParams p =
        GenerationParams.defaults()
            .withMaxNewTokens(newTokens)
            .withTemperature(1.0)
            .withBatchSize(batch)
            .withKvCache(cache)
            .withIgnoreEos(true);
    long c0 = CPU.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    List<SampleResult> r = new Generator(lm).generate(prompts, p);
    long t1 = System.nanoTime();
    long c1 = CPU.getCurrentThreadCpuTime();
    for (SampleResult s : r) {
      if (s.responseTokens() != newTokens) {
        throw new IllegalStateException(
            "expected " + newTokens + " tokens, got " + s.responseTokens());
      }
    }
    return new double[] {(t1 - t0) / 1e9, (c1 - c0) / 1e9};
  }

  /** {@code batch} distinct one-token prompts (BOS or id 3+i), so positions equal step numbers. */
  private static List<PromptInput> prompts(CausalLm lm, int batch) {
    List<PromptInput> out = new ArrayList<>();
    int bos = lm.config().bosId();
    for (int i = 0; i < batch; i++) {
      out.add(new PromptInput("bench-" + i, new int[] {bos >= 0 ? bos : 3 + i}));
    }
    return out;
  }

  private static void warm(CausalLm lm) {
    seconds(lm, 4, 16, true);
    seconds(lm, 4, 8, false);
  }

  /**
   * stories260K (when present) and/or a freshly written random 15M Llama, by {@code which}: {@code
   * all}, {@code stories} or {@code 15m}.
   */
  static List<Path> models(Path shared, String which) throws java.io.IOException {
    List<Path> models = new ArrayList<>();
    Path stories = shared.resolve("models/stories260K");
    if (Files.isDirectory(stories) && !which.equals("15m")) {
      models.add(stories);
    }
    if (!which.equals("stories")) {
      Path m15 = Files.createTempDirectory("gristmill-llama15m-");
      TinyCheckpointWriter.write(m15, TinyCheckpointSpec.llama15m());
      models.add(m15);
    }
    return models;
  }

  static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
