package io.gristmill.bench.rollout;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.Generator;
import io.gristmill.rollout.PromptInput;
import io.gristmill.rollout.SampleResult;
import java.io.BufferedReader;
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
 * Useful tokens per second (tokens of unfinished sequences: every response token, counted once) of
 * continuous batching with shared-prompt prefill against static batching (the baseline, same run,
 * same prompts, same seeds), on GSM8K test questions as raw-text prompts, {@code k} samples each,
 * natural stops (the model's EOS or the token limit), temperature 1. Also checks that both modes
 * give the same ids, prints the KV-cache bytes per slot, and a leak check (heap and RSS after every
 * chunk of a long continuous run).
 *
 * <p>Args: {@code [sharedDataDir] [prompts] [k] [maxNew] [slots] [leakPrompts] [stories|15m|all]};
 * defaults {@code ../shared/data 64 8 128 64 10000 all}. The 15M model is a random-weight Llama of
 * stories15M's shape (no 15M checkpoint is in shared/data), so it rarely emits EOS: its samples
 * mostly run to the limit.
 */
public final class RolloutBatchingBenchMain {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static final ObjectMapper JSON = new ObjectMapper();

  private RolloutBatchingBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path shared = Paths.get(arg(args, 0, "../shared/data"));
    int nPrompts = Integer.parseInt(arg(args, 1, "64"));
    int k = Integer.parseInt(arg(args, 2, "8"));
    int maxNew = Integer.parseInt(arg(args, 3, "128"));
    int slots = Integer.parseInt(arg(args, 4, "64"));
    int leakPrompts = Integer.parseInt(arg(args, 5, "10000"));
    String which = arg(args, 6, "all");
    CausalLm.setThreads(1);
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores visible, Java %s, libtorch intra-op threads 1; load average %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        RolloutBenchMain.loadAverage());
    List<String> questions = questions(shared.resolve("rl_prompts/gsm8k/test.jsonl"));
    List<String> train = questions(shared.resolve("rl_prompts/gsm8k/train.jsonl"));
    List<Path> models = RolloutBenchMain.models(shared, which);
    for (Path m : models) {
      try (CausalLm lm = CausalLm.load(m, Device.cpu())) {
        boolean small = lm.config().parameterCount() < 5_000_000L;
        int n = small ? nPrompts : Math.max(1, nPrompts / 8);
        int mn = small ? maxNew : Math.min(maxNew, 64);
        System.out.printf(
            Locale.ROOT,
            "%n## %s (%,d parameters): %d GSM8K prompts x %d samples, max %d new tokens, %d"
                + " slots%n%n",
            m.getFileName(),
            lm.config().parameterCount(),
            n,
            k,
            mn,
            slots);
        List<PromptInput> prompts = encode(lm, questions, n, mn);
        GenerationParams p =
            GenerationParams.defaults()
                .withNumSamples(k)
                .withMaxNewTokens(mn)
                .withBatchSize(slots)
                .withSeed(1);
        run(lm, prompts.subList(0, Math.min(4, prompts.size())), p, GenerationParams.STATIC);
        double[] st = run(lm, prompts, p, GenerationParams.STATIC);
        double[] co = run(lm, prompts, p, GenerationParams.CONTINUOUS);
        System.out.println(
            "| mode | useful tokens | stopped by EOS | wall s | useful tok/s | useful tok/CPU-s |"
                + " KV columns read per live column |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        row("static (baseline)", st);
        row("continuous + shared prefill", co);
        System.out.printf(
            Locale.ROOT,
            "%ncontinuous / static: %.2fx useful tok/s wall, %.2fx per CPU-s; ids identical in"
                + " %d of %d samples, ids and logprobs bit-identical in %d%n",
            co[3] / st[3],
            co[4] / st[4],
            identical(lastStatic, lastContinuous),
            lastStatic.size(),
            bitIdentical(lastStatic, lastContinuous));
        // the same rounding effect inside static batching: another batch size, same seeds
        List<SampleResult> st64 = lastStatic;
        run(lm, prompts, p.withBatchSize(Math.max(1, slots / 2)), GenerationParams.STATIC);
        System.out.printf(
            Locale.ROOT,
            "static batch %d vs static batch %d: ids identical in %d of %d samples, ids and"
                + " logprobs bit-identical in %d%n",
            slots,
            Math.max(1, slots / 2),
            identical(st64, lastStatic),
            st64.size(),
            bitIdentical(st64, lastStatic));
        int maxPrompt = prompts.stream().mapToInt(q -> q.tokenIds().length).max().orElse(0);
        long perPos = lm.kvBytesPerPosition();
        int live = maxPrompt + mn;
        System.out.printf(
            Locale.ROOT,
            "KV cache per slot, both schedulers: %,d bytes per position x capacity %d (longest"
                + " prompt %d + %d new, rounded up to 16 columns) = %,d bytes%n",
            perPos,
            (live + 15) / 16 * 16,
            maxPrompt,
            mn,
            perPos * ((live + 15) / 16 * 16));
        if (small && leakPrompts > 0) {
          leakCheck(lm, train, leakPrompts, slots);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%nload average at end: %s%n", RolloutBenchMain.loadAverage());
  }

  private static List<SampleResult> lastStatic = List.of();
  private static List<SampleResult> lastContinuous = List.of();

  /** Useful tokens, EOS stops, wall s, useful tok/s, useful tok/CPU-s. */
  private static double[] run(
      CausalLm lm, List<PromptInput> prompts, GenerationParams p, String mode) {
    long c0 = CPU.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    Generator g = new Generator(lm);
    List<SampleResult> r = g.generate(prompts, p.withBatching(mode));
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (CPU.getCurrentThreadCpuTime() - c0) / 1e9;
    if (mode.equals(GenerationParams.STATIC)) {
      lastStatic = r;
    } else {
      lastContinuous = r;
    }
    long tokens = r.stream().mapToLong(SampleResult::responseTokens).sum();
    long stops = r.stream().filter(s -> s.finishReason().equals(SampleResult.STOP)).count();
    return new double[] {
      tokens, stops, wall, tokens / wall, tokens / cpu, g.lastAttendedPerLiveColumn()
    };
  }

  private static void row(String name, double[] v) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %,.0f | %,.0f | %.1f | %,.0f | %,.0f | %.2f |%n",
        name,
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5]);
  }

  private static int identical(List<SampleResult> a, List<SampleResult> b) {
    int same = 0;
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      same += Arrays.equals(a.get(i).responseTokenIds(), b.get(i).responseTokenIds()) ? 1 : 0;
    }
    return same;
  }

  /** Samples whose ids and logprobs (as float bits) are equal in both runs. */
  private static int bitIdentical(List<SampleResult> a, List<SampleResult> b) {
    int same = 0;
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      same +=
          Arrays.equals(a.get(i).responseTokenIds(), b.get(i).responseTokenIds())
                  && Arrays.equals(a.get(i).responseLogprobs(), b.get(i).responseLogprobs())
              ? 1
              : 0;
    }
    return same;
  }

  /** Heap after GC and RSS after every tenth of {@code total} prompts (k = 1, 16 new tokens). */
  private static void leakCheck(CausalLm lm, List<String> texts, int total, int slots) {
    System.out.printf(
        Locale.ROOT,
        "%nleak check: %,d GSM8K train prompts, continuous, 1 sample, 16 new tokens, %d slots%n%n",
        total,
        slots);
    System.out.println("| prompts done | heap used MiB (after GC) | RSS MiB |");
    System.out.println("|---:|---:|---:|");
    GenerationParams p =
        GenerationParams.defaults().withMaxNewTokens(16).withBatchSize(slots).withSeed(3);
    int chunk = Math.max(1, total / 10);
    Generator g = new Generator(lm);
    for (int done = 0; done < total; ) {
      List<PromptInput> batch = new ArrayList<>();
      for (int i = 0; i < chunk && done + i < total; i++) {
        String q = texts.get((done + i) % texts.size());
        int[] ids = lm.encodePrompt(q, false);
        int limit = lm.config().maxSeqLen() - 17;
        batch.add(
            new PromptInput(
                "leak-" + (done + i), ids.length > limit ? Arrays.copyOf(ids, limit) : ids));
      }
      g.generate(batch, p);
      done += batch.size();
      System.gc();
      Runtime rt = Runtime.getRuntime();
      System.out.printf(
          Locale.ROOT,
          "| %,d | %.1f | %.1f |%n",
          done,
          (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
          rssMiB());
    }
  }

  private static List<PromptInput> encode(CausalLm lm, List<String> qs, int n, int maxNew) {
    List<PromptInput> out = new ArrayList<>();
    int limit = lm.config().maxSeqLen() - maxNew - 1;
    for (int i = 0; i < qs.size() && out.size() < n; i++) {
      int[] ids = lm.encodePrompt(qs.get(i), false);
      if (ids.length <= limit) {
        out.add(new PromptInput("gsm8k-test-" + i, ids));
      }
    }
    return out;
  }

  private static List<String> questions(Path jsonl) throws Exception {
    List<String> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(jsonl)) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode n = JSON.readTree(line);
        out.add(n.path("question").asText());
      }
    }
    return out;
  }

  private static double rssMiB() {
    try {
      for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  private static String arg(String[] a, int i, String d) {
    return a.length > i ? a[i] : d;
  }
}
