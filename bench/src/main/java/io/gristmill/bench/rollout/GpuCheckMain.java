package io.gristmill.bench.rollout;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.Generator;
import io.gristmill.rollout.PromptInput;
import io.gristmill.rollout.SampleResult;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The GPU check run by {@code bench/gpu-check.sh}: for the tiny checkpoint, stories260K and a
 * random 15M Llama, greedy ids on CUDA (float32, then bfloat16) against the CPU, and CUDA useful
 * tokens/s at batch 1, 16 and 64. Exits 1 when libtorch sees no GPU or float32 ids differ.
 *
 * <p>Args: {@code [sharedDataDir]}.
 */
public final class GpuCheckMain {
  private GpuCheckMain() {}

  public static void main(String[] args) throws Exception {
    Path shared = Paths.get(args.length > 0 ? args[0] : "../shared/data");
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    System.out.printf(
        Locale.ROOT,
        "libtorch %s sees %d GPU(s)%n",
        Engine.getEngine("PyTorch").getVersion(),
        gpus);
    if (gpus == 0) {
      System.out.println("FAIL: no GPU visible to libtorch (CPU-only libtorch on the classpath?)");
      System.exit(1);
    }
    List<Path> models = new ArrayList<>();
    Path tiny = Files.createTempDirectory("gristmill-tiny-");
    TinyCheckpointWriter.write(tiny, TinyCheckpointSpec.tiny());
    models.add(tiny);
    Path stories = shared.resolve("models/stories260K");
    if (Files.isDirectory(stories)) {
      models.add(stories);
    } else {
      System.out.println("stories260K not found under " + shared + ": skipped");
    }
    Path m15 = Files.createTempDirectory("gristmill-llama15m-");
    TinyCheckpointWriter.write(m15, TinyCheckpointSpec.llama15m());
    models.add(m15);
    boolean ok = true;
    for (Path m : models) {
      System.out.printf(Locale.ROOT, "%n## %s%n", m.getFileName());
      List<SampleResult> cpu;
      try (CausalLm lm = CausalLm.load(m, Device.cpu())) {
        CausalLm.setThreads(Math.min(8, Runtime.getRuntime().availableProcessors()));
        cpu = greedy(lm);
      }
      for (String dtype : List.of("float32", "bfloat16")) {
        try (CausalLm lm = CausalLm.load(m, Device.gpu(0), dtype)) {
          List<SampleResult> gpu = greedy(lm);
          int same = 0;
          for (int i = 0; i < cpu.size(); i++) {
            same +=
                Arrays.equals(cpu.get(i).responseTokenIds(), gpu.get(i).responseTokenIds()) ? 1 : 0;
          }
          System.out.printf(
              Locale.ROOT,
              "greedy ids, cuda %s vs cpu float32: %d of %d prompts identical%n",
              lm.dtype(),
              same,
              cpu.size());
          if (dtype.equals("float32") && same != cpu.size()) {
            ok = false;
          }
          if (dtype.equals("bfloat16")) {
            for (int b : new int[] {1, 16, 64}) {
              System.out.printf(
                  Locale.ROOT,
                  "cuda %s batch %d: %,.0f tok/s%n",
                  lm.dtype(),
                  b,
                  tokensPerSecond(lm, b));
            }
          }
        }
      }
    }
    System.out.println(ok ? "\nOK" : "\nFAIL: float32 greedy ids differ between CUDA and CPU");
    System.exit(ok ? 0 : 1);
  }

  private static List<PromptInput> prompts(CausalLm lm, int n) {
    String[] starts = {"Once upon a time", "The cat", "Lily and Ben", "One day", "Tom had a ball"};
    List<PromptInput> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new PromptInput("g" + i, lm.encodePrompt(starts[i % starts.length] + " " + i, false)));
    }
    return out;
  }

  private static List<SampleResult> greedy(CausalLm lm) {
    return new Generator(lm).generate(prompts(lm, 8), GenerationParams.greedy(64).withBatchSize(8));
  }

  private static double tokensPerSecond(CausalLm lm, int batch) {
    GenerationParams p =
        GenerationParams.defaults().withMaxNewTokens(128).withBatchSize(batch).withIgnoreEos(true);
    Generator g = new Generator(lm);
    g.generate(prompts(lm, batch), p.withMaxNewTokens(8)); // warm-up
    long t0 = System.nanoTime();
    List<SampleResult> r = g.generate(prompts(lm, batch), p);
    double s = (System.nanoTime() - t0) / 1e9;
    return r.stream().mapToLong(SampleResult::responseTokens).sum() / s;
  }
}
