package io.gristmill.bench.scoring;

import ai.djl.Device;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.Generator;
import io.gristmill.rollout.PromptInput;
import io.gristmill.rollout.SampleResult;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import io.gristmill.scoring.value.SelectionReport;
import io.gristmill.scoring.value.ValueModelConfig;
import io.gristmill.scoring.value.ValueModelJob;
import io.gristmill.scoring.value.ValueModelReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Cost of choosing m intermediate prompts from a pool of k*m (see bench/README-scoring.md): by the
 * PCL value model (featurize + predict + pick, no language-model forward pass) versus by rolling
 * out n samples of every pool prompt with the rollout engine and keeping those with pass rate near
 * 0.5. The rollout side runs the real engine (KV cache, batched, CPU) on a random-weight 15M Llama
 * checkpoint for a subsample of the pool and is extrapolated linearly to the whole pool; a real
 * policy is orders of magnitude larger, so this side is a lower bound.
 *
 * <p>Args: {@code [sharedDataDir] [m] [k] [n] [maxNewTokens] [rolloutSubsample] [threads]}.
 */
public final class ValueModelSelectBench {
  private ValueModelSelectBench() {}

  public static void main(String[] args) throws Exception {
    Path shared = Paths.get(args.length > 0 ? args[0] : "../shared/data").toAbsolutePath();
    int m = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int k = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int n = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    int maxNew = args.length > 4 ? Integer.parseInt(args[4]) : 256;
    int subsample = args.length > 5 ? Integer.parseInt(args[5]) : 8;
    int threads = args.length > 6 ? Integer.parseInt(args[6]) : 2;
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores visible, %s %s, Java %s, max heap %d MiB, load average %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        load());
    System.out.printf(
        Locale.ROOT, "m=%d k=%d pool=k*m=%d n=%d max_new_tokens=%d%n", m, k, k * m, n, maxNew);

    Path work = Files.createTempDirectory("gristmill-vm-bench-");
    Path gsmTrain = shared.resolve("data/rl_prompts/gsm8k/train.jsonl");
    Path pool = work.resolve("pool.jsonl");
    List<String> poolLines = Files.readAllLines(gsmTrain).subList(0, k * m);
    Files.write(pool, poolLines);
    List<String> questions = new ArrayList<>();
    for (String line : poolLines) {
      questions.add(ConfigLoader.yamlMapper().readTree(line).get("question").asText());
    }

    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("gristmill-value-model-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      String yaml =
          String.join(
              "\n",
              "model_path: '" + work.resolve("model") + "'",
              "train: {path: '"
                  + shared.resolve("data/rl_prompts/gsm8k/example_model_solutions.jsonl")
                  + "', format: gsm8k_example_solutions}",
              "pool: {path: '" + pool + "', format: jsonl, text_column: question}",
              "m: " + m,
              "target: 0.5",
              "select_output: '" + work.resolve("picked") + "'");
      ValueModelConfig cfg =
          ConfigLoader.fromString(yaml, "bench.yaml", ValueModelConfig.class, List.of());
      long t0 = System.nanoTime();
      ValueModelReport trained = ValueModelJob.train(spark, cfg);
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "value model trained once on %d GSM8K test prompts in %.1f s (held-out Spearman %.3f)%n",
          trained.trainRows(),
          trainSeconds,
          trained.heldOut().spearman());
      double[] runs = new double[3];
      SelectionReport last = null;
      for (int i = 0; i < runs.length; i++) {
        long s = System.nanoTime();
        last = ValueModelJob.select(spark, cfg);
        runs[i] = (System.nanoTime() - s) / 1e9;
      }
      Arrays.sort(runs);
      double vmSeconds = runs[1];
      // select_output is a dataset folder: the selection is its latest snapshot's data.
      List<Row> picked = spark.read().parquet(last.snapshotDir() + "/data").collectAsList();
      System.out.printf(
          Locale.ROOT,
          "value-model select: picked %d of %d, median of 3 runs %.2f s (runs %.2f/%.2f/%.2f),"
              + " language-model forward passes 0, max |p-0.5| %.3f%n",
          picked.size(),
          last.poolRows(),
          vmSeconds,
          runs[0],
          runs[1],
          runs[2],
          last.maxDistance());

      Path ckpt = work.resolve("llama15m");
      TinyCheckpointWriter.write(ckpt, TinyCheckpointSpec.llama15m());
      CausalLm.setThreads(threads);
      double perPrompt;
      long tokenPositions = 0;
      long generated = 0;
      long promptTokens = 0;
      try (CausalLm lm = CausalLm.load(ckpt, Device.cpu())) {
        List<PromptInput> inputs = new ArrayList<>();
        for (int i = 0; i < subsample; i++) {
          inputs.add(new PromptInput("bench-" + i, lm.encodePrompt(questions.get(i), false)));
        }
        GenerationParams p =
            GenerationParams.defaults()
                .withMaxNewTokens(maxNew)
                .withNumSamples(n)
                .withBatchSize(Math.min(64, n * subsample))
                .withIgnoreEos(true)
                .withSeed(7L);
        new Generator(lm).generate(inputs.subList(0, 1), p.withMaxNewTokens(4).withNumSamples(1));
        long s = System.nanoTime();
        List<SampleResult> out = new Generator(lm).generate(inputs, p);
        double seconds = (System.nanoTime() - s) / 1e9;
        perPrompt = seconds / subsample;
        for (SampleResult r : out) {
          promptTokens += r.promptTokens();
          generated += r.responseTokens();
          tokenPositions += r.promptTokens() + r.responseTokens();
        }
        System.out.printf(
            Locale.ROOT,
            "rollout (measured): %d prompts x %d samples, %d new tokens each, %s (%,d params)"
                + " in %.2f s = %.3f s per prompt%n",
            subsample,
            n,
            maxNew,
            "random-weight llama15m",
            lm.config().parameterCount(),
            seconds,
            perPrompt);
      }
      int poolSize = k * m;
      double rolloutSeconds = perPrompt * poolSize;
      double scale = poolSize / (double) subsample;
      System.out.printf(
          Locale.ROOT,
          "rollout (extrapolated to the pool of %d): %.1f s; %,d sequences; %,.0f decode steps"
              + " (n*k*m*max_new_tokens); %,.0f token positions through the model"
              + " (prompt %,.0f + generated %,.0f)%n",
          poolSize,
          rolloutSeconds,
          (long) n * poolSize,
          (double) n * poolSize * maxNew,
          tokenPositions * scale,
          promptTokens * scale,
          generated * scale);
      System.out.printf(
          Locale.ROOT,
          "RATIO rollout-based / value-model selection = %.1fx (time, same machine); forward"
              + " passes %,.0f vs 0%n",
          rolloutSeconds / vmSeconds,
          (double) n * poolSize * maxNew);
      System.out.printf(Locale.ROOT, "load average at end: %s%n", load());
    } finally {
      spark.stop();
    }
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) { // not Linux: the load is informational only
      return "n/a";
    }
  }
}
