package io.gristmill.rollout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import io.gristmill.rollout.testing.StandaloneCluster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout job on a real 2-worker standalone cluster (child JVMs on 127.0.0.1): one model load
 * per executor JVM across two runs, k samples per prompt, token ids that decode to the text, finite
 * non-positive logprobs, identical reruns, and the empty prompt in rejected/.
 */
class RolloutClusterTest {
  @TempDir static Path tmp;
  private static StandaloneCluster cluster;
  private static SparkSession spark;
  private static Path model;
  private static Path prompts;

  @BeforeAll
  static void start() throws Exception {
    model = tmp.resolve("model");
    TinyCheckpointWriter.write(model, TinyCheckpointSpec.tiny());
    prompts = tmp.resolve("prompts.jsonl");
    Files.writeString(
        prompts,
        String.join(
            "\n",
            "{\"id\": \"p1\", \"prompt\": \"What is 2 + 3?\"}",
            "{\"id\": \"p2\", \"prompt\": \"Name a color.\"}",
            "{\"id\": \"p3\", \"prompt\": \"Write a word that rhymes with cat.\"}",
            "{\"id\": \"p4\", \"prompt\": \"Count to three.\"}",
            "{\"id\": \"p5\", \"prompt\": \"Say hi.\"}",
            "{\"id\": \"empty\", \"prompt\": \"  \"}",
            ""));
    cluster = StandaloneCluster.start(2, 1);
    List<Path> classDirs = new ArrayList<>();
    for (String e :
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
            .split(File.pathSeparator)) {
      if (Files.isDirectory(Paths.get(e))) {
        classDirs.add(Paths.get(e));
      }
    }
    Path appJar = cluster.jarOf(classDirs.toArray(Path[]::new));
    spark =
        SparkSession.builder()
            .master(cluster.masterUrl())
            .appName("gristmill-rollout-it")
            .config("spark.jars", appJar.toString())
            .config("spark.executor.extraJavaOptions", cluster.executorJavaOptions())
            .config("spark.executor.memory", "1g")
            .config("spark.executor.cores", "1")
            .config("spark.cores.max", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    long end = System.currentTimeMillis() + 90_000;
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < 3
        && System.currentTimeMillis() < end) {
      Thread.sleep(250);
    }
    assertThat(spark.sparkContext().statusTracker().getExecutorInfos())
        .as("driver + 2 executors registered; see %s", cluster.log("worker0"))
        .hasSize(3);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void rolloutOnTwoExecutorsIsCompleteDecodableAndReproducible() throws Exception {
    RolloutConfig cfg =
        new RolloutConfig(
            model.toString(),
            prompts.toString(),
            null,
            null,
            null,
            "rollouts",
            null,
            true,
            null,
            null,
            4,
            GenerationParams.defaults()
                .withMaxNewTokens(12)
                .withTopP(0.95)
                .withNumSamples(3)
                .withSeed(11));
    RolloutJob.Result first = RolloutJob.run(spark, cfg, tmp.resolve("out1").toString());
    RolloutJob.Result second = RolloutJob.run(spark, cfg, tmp.resolve("out2").toString());
    List<Row> a = spark.read().parquet(first.snapshotDir() + "/data").collectAsList();
    List<Row> b = spark.read().parquet(second.snapshotDir() + "/data").collectAsList();
    assertThat(a).hasSize(15);
    assertThat(b).isEqualTo(a);

    Map<String, List<Integer>> samples = new HashMap<>();
    try (CausalLm lm = CausalLm.load(model, Device.cpu())) {
      for (Row r : a) {
        samples
            .computeIfAbsent(r.getAs("prompt_id"), k -> new ArrayList<>())
            .add(r.getAs("sample_index"));
        List<Integer> ids = r.getList(r.fieldIndex("response_token_ids"));
        List<Integer> promptIds = r.getList(r.fieldIndex("prompt_token_ids"));
        List<Float> lps = r.getList(r.fieldIndex("response_logprobs"));
        assertThat(lps)
            .hasSameSizeAs(ids)
            .allSatisfy(lp -> assertThat(lp).isFinite().isLessThanOrEqualTo(0f));
        boolean stopped = "stop".equals(r.getAs("finish_reason"));
        int n = stopped ? ids.size() - 1 : ids.size();
        int[] body = ids.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
        assertThat(lm.tokenizer().decode(body, promptIds.get(promptIds.size() - 1)))
            .isEqualTo(r.getAs("text"));
        assertThat(promptIds.stream().mapToInt(Integer::intValue).toArray())
            .containsExactly(lm.encodePrompt(r.getAs("prompt"), true));
      }
    }
    assertThat(samples).containsOnlyKeys("p1", "p2", "p3", "p4", "p5");
    assertThat(samples.values()).allSatisfy(s -> assertThat(s).containsExactlyInAnyOrder(0, 1, 2));

    List<Row> rejected = spark.read().parquet(first.snapshotDir() + "/rejected").collectAsList();
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0).<String>getAs("reason")).isEqualTo("empty_prompt");
    assertThat(rejected.get(0).<String>getAs("stage")).isEqualTo("rollout");

    List<String> loads =
        spark
            .range(0, 8, 1, 8)
            .mapPartitions(
                (MapPartitionsFunction<Long, String>)
                    it ->
                        List.of(
                                ProcessHandle.current().pid()
                                    + ":"
                                    + ExecutorModelCache.loadCount())
                            .iterator(),
                Encoders.STRING())
            .collectAsList();
    Map<String, Integer> perJvm = new HashMap<>();
    for (String s : loads) {
      String[] kv = s.split(":");
      perJvm.put(kv[0], Integer.parseInt(kv[1]));
    }
    assertThat(perJvm.keySet()).as("probe reached both executor JVMs").hasSize(2);
    assertThat(perJvm.values())
        .as("2 runs x 4 partitions on 2 executors: one model load per executor JVM")
        .containsOnly(1);
  }
}
