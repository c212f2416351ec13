package io.gristmill.rollout.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.kind.KindSchemas;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.snapshot.SnapshotWriter;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.core.text.StableIds;
import io.gristmill.core.text.TextNormalizer;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout job on local[2]: curated and selected snapshots in (ids, answers and sources carried
 * into every sample), a rollout snapshot out through the one snapshot writer, kind checks before
 * Spark work, and honest devices.
 */
class RolloutJobTest extends SparkTestBase {
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path model;
  private static final GenerationParams GEN =
      GenerationParams.defaults().withMaxNewTokens(6).withNumSamples(2).withSeed(3);

  @BeforeAll
  static void writeModel() {
    model = shared.resolve("model");
    TinyCheckpointWriter.write(model, TinyCheckpointSpec.tiny());
  }

  private static RolloutConfig config(String prompts, String device, int partitions) {
    return new RolloutConfig(
        model.toString(), prompts, null, null, null, "r", "tiny", true, device, 1, partitions, GEN);
  }

  /**
   * Two GSM8K-like prompt-set rows (question, solution, extracted answer) and one without a user
   * turn.
   */
  private static List<Conversation> promptSet() {
    return List.of(
        new Conversation(
            "0123456789abcdef0123456789abcdef",
            "gsm8k",
            List.of(Message.user("What is 2+2?"), Message.assistant("2+2=4\n#### 4")),
            "q1",
            "{}",
            "gsm8k",
            "4",
            "test.jsonl",
            1),
        new Conversation(
            "fedcba9876543210fedcba9876543210",
            "math",
            List.of(Message.system("be brief"), Message.user("Solve x+1=3.")),
            null,
            "{}",
            "math",
            "2",
            "math.jsonl",
            7),
        new Conversation(
            "00000000000000000000000000000003",
            "gsm8k",
            List.of(Message.assistant("no user turn")),
            null,
            "{}",
            "gsm8k",
            "9",
            "test.jsonl",
            3));
  }

  /** A published snapshot of {@code kind} holding {@code rows}, as curate or select write it. */
  private static String publish(Path root, String dataset, DatasetKind kind, Dataset<Row> rows) {
    SnapshotWriter w = SnapshotWriter.begin(spark, root.toString(), dataset, "curate", kind);
    w.writeData(rows, 1, "id", "id");
    w.commit(new SnapshotWriter.Commit(List.of(), null, List.of(), List.of(), Map.of(), null));
    return root.resolve(dataset).toString();
  }

  private static List<String> withoutLogprobs(List<Row> rows) {
    return rows.stream()
        .map(
            r -> {
              StringBuilder sb = new StringBuilder();
              for (String f : r.schema().fieldNames()) {
                if (!f.equals("response_logprobs")) {
                  sb.append(f).append('=').append(String.valueOf(r.<Object>getAs(f))).append(' ');
                }
              }
              return sb.toString();
            })
        .toList();
  }

  private static Dataset<Row> conversations(List<Conversation> cs) {
    return spark.createDataFrame(
        cs.stream().map(SparkSchemas::toRow).toList(), SparkSchemas.CONVERSATION);
  }

  @Test
  void curatedSnapshotKeepsPromptIdsAnswersAndSourcesThroughTheSnapshotWriter() throws IOException {
    String dataset = publish(tmp, "gsm", DatasetKind.PROMPT_SET, conversations(promptSet()));
    RolloutJob.Result a =
        RolloutJob.run(spark, config(dataset, "auto", 1), tmp.resolve("a").toString());
    RolloutJob.Result b =
        RolloutJob.run(spark, config(dataset, "auto", 3), tmp.resolve("b").toString());

    Dataset<Row> data = spark.read().parquet(a.snapshotDir() + "/data");
    assertThat(DatasetKind.ROLLOUT.missingFrom(data.schema())).isEmpty();
    assertThat(data.schema().fieldNames()).containsExactly(KindSchemas.ROLLOUT.fieldNames());
    List<Row> rowsA = data.collectAsList();
    List<Row> rowsB = spark.read().parquet(b.snapshotDir() + "/data").collectAsList();
    // the same samples whatever the partitioning; logprobs agree up to float rounding (batches
    // pad differently)
    assertThat(rowsA).hasSize(4);
    assertThat(withoutLogprobs(rowsA)).isEqualTo(withoutLogprobs(rowsB));
    for (int i = 0; i < rowsA.size(); i++) {
      List<Float> la = rowsA.get(i).getList(rowsA.get(i).fieldIndex("response_logprobs"));
      List<Float> lb = rowsB.get(i).getList(rowsB.get(i).fieldIndex("response_logprobs"));
      assertThat(la).hasSameSizeAs(lb);
      for (int j = 0; j < la.size(); j++) {
        assertThat(la.get(j)).isCloseTo(lb.get(j), org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
    assertThat(rowsA)
        .extracting(
            r ->
                r.<String>getAs("prompt_id")
                    + "#"
                    + r.getAs("sample_index")
                    + " "
                    + r.getAs("data_source")
                    + " "
                    + r.getAs("ground_truth")
                    + " "
                    + r.getAs("prompt"))
        .containsExactly(
            "0123456789abcdef0123456789abcdef#0 gsm8k 4 What is 2+2?",
            "0123456789abcdef0123456789abcdef#1 gsm8k 4 What is 2+2?",
            "fedcba9876543210fedcba9876543210#0 math 2 Solve x+1=3.",
            "fedcba9876543210fedcba9876543210#1 math 2 Solve x+1=3.");
    assertThat(rowsA).extracting(r -> r.<String>getAs("model_id")).containsOnly("tiny");

    SnapshotManifest m = a.manifest();
    assertThat(m.kind()).isEqualTo("rollout");
    assertThat(m.job()).isEqualTo("rollout");
    assertThat(m.codeVersion()).isNotNull().isNotEqualTo("unknown");
    assertThat(m.outputs()).containsEntry("data", 4L).containsEntry("rejected", 1L);
    assertThat(m.stages().get(0).rejected()).containsExactly(Map.entry("empty_prompt", 1L));
    assertThat(m.properties()).containsEntry("requested_device", "auto");
    assertThat(m.properties().get("devices")).isEqualTo(Map.of("cpu", 1L));
    assertThat(m.properties()).containsEntry("requested_dtype", "auto");
    assertThat(m.properties().get("dtypes")).isEqualTo(Map.of("cpu", "float32"));
    // one count per task that rolled out prompts: 3 prompts hashed into 3 partitions fill 1 to 3
    @SuppressWarnings("unchecked")
    Map<String, Long> devicesB = (Map<String, Long>) b.manifest().properties().get("devices");
    assertThat(devicesB).containsOnlyKeys("cpu");
    assertThat(devicesB.get("cpu")).isBetween(1L, 3L);
    SnapshotManifest.InputFile in = m.inputs().get(0);
    assertThat(in.bytes()).isPositive();
    assertThat(in.sha256()).hasSize(64);
    assertThat(in.rowsRead()).isEqualTo(3);
    assertThat(in.rowsKept()).isEqualTo(2);
    assertThat(in.rejectedByStage()).containsExactly(Map.entry("rollout", 1L));
    assertThat(a.summary()).contains("rollout");

    List<String> files;
    try (Stream<Path> s = Files.walk(Path.of(a.snapshotDir()))) {
      files = s.map(p -> p.getFileName().toString()).toList();
    }
    assertThat(files).contains("part-00000.parquet", "manifest.json", "summary.txt");
    assertThat(files).noneMatch(f -> f.endsWith(".crc") || f.equals("_SUCCESS"));

    Row rejected = spark.read().parquet(a.snapshotDir() + "/rejected").first();
    assertThat(rejected.<String>getAs("stage")).isEqualTo("rollout");
    assertThat(rejected.<String>getAs("reason")).isEqualTo("empty_prompt");
    assertThat(rejected.<String>getAs("id")).isEqualTo("00000000000000000000000000000003");
    assertThat(rejected.<String>getAs("ground_truth")).isEqualTo("9");
    assertThat(rejected.<String>getAs("file")).isEqualTo("test.jsonl");
    assertThat(rejected.<Long>getAs("line")).isEqualTo(3L);
    assertThat(rejected.getList(rejected.fieldIndex("messages"))).hasSize(1);
    SnapshotStore store =
        new SnapshotStore(
            tmp.resolve("a").toString(), "r", spark.sparkContext().hadoopConfiguration());
    assertThat(store.latest()).isPresent();
  }

  @Test
  void selectionSnapshotRollsOutWithItsAnswers() {
    Dataset<Row> selection =
        conversations(promptSet().subList(0, 2))
            .withColumn("predicted_pass_rate", org.apache.spark.sql.functions.lit(0.5));
    String dataset = publish(tmp, "picked", DatasetKind.SELECTION, selection);
    RolloutJob.Result r =
        RolloutJob.run(spark, config(dataset, "cpu", 0), tmp.resolve("out").toString());
    List<Row> rows = spark.read().parquet(r.snapshotDir() + "/data").collectAsList();
    assertThat(rows)
        .extracting(x -> x.<String>getAs("prompt_id") + " " + x.<String>getAs("ground_truth"))
        .containsOnly("0123456789abcdef0123456789abcdef 4", "fedcba9876543210fedcba9876543210 2");
    assertThat(r.manifest().inputs().get(0).path()).contains("picked");
  }

  @Test
  void aRolloutSnapshotIsTheWrongKindAndFailsBeforeSparkNamingTheProducer() {
    String dataset = publish(tmp, "gsm", DatasetKind.PROMPT_SET, conversations(promptSet()));
    RolloutJob.run(spark, config(dataset, "cpu", 0), tmp.resolve("out").toString());
    String rollouts = tmp.resolve("out").resolve("r").toString();
    assertThatThrownBy(() -> RolloutJob.checkInput(config(rollouts, "cpu", 0), new Configuration()))
        .isInstanceOfSatisfying(
            GristmillException.class, e -> assertThat(e.kind().exitCode()).isEqualTo(2))
        .hasMessage(
            "Cannot run rollout on "
                + rollouts
                + ": it holds a 'rollout' dataset (written by gristmill rollout), and rollout"
                + " needs a 'conversation' or 'prompt_set' or 'selection' dataset. Produce one with"
                + " gristmill curate or gristmill curate (of gsm8k, math, math500, verl sources)"
                + " or gristmill value-model select and point at its dataset folder or snapshot.");
  }

  @Test
  void missingModelFailsBeforeSpark() {
    RolloutConfig cfg =
        new RolloutConfig(
            tmp.resolve("no-model").toString(),
            model.toString(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThatThrownBy(() -> RolloutJob.checkInput(cfg, new Configuration()))
        .isInstanceOfSatisfying(
            GristmillException.class, e -> assertThat(e.kind().exitCode()).isEqualTo(5))
        .hasMessageContaining("Cannot load model " + tmp.resolve("no-model"));
  }

  @Test
  void gpuWithoutAGpuFailsWithExitFiveAndWritesNothing() {
    String dataset = publish(tmp, "gsm", DatasetKind.PROMPT_SET, conversations(promptSet()));
    assertThatThrownBy(
            () -> RolloutJob.run(spark, config(dataset, "gpu", 0), tmp.resolve("gpu").toString()))
        .isInstanceOfSatisfying(
            GristmillException.class,
            e -> assertThat(e.kind()).isEqualTo(GristmillException.Kind.RESOURCE))
        .hasMessageContaining("Cannot load a GPU for rollout (device: gpu)")
        .hasMessageContaining("no GPU was found")
        .hasMessageContaining("device: auto")
        .hasMessageContaining("spark.task.resource.gpu.amount=1");
    assertThat(tmp.resolve("gpu")).doesNotExist();
  }

  @Test
  void gpuFailureInsideATaskReachesTheCallerAsTheResourceError() {
    // what a cluster does: the check runs in the executor, the driver gets the task's exception
    Dataset<Row> prompts =
        spark.createDataFrame(
            List.of(RowFactory.create("p", "hi", null, null)),
            new org.apache.spark.sql.types.StructType()
                .add("prompt_id", "string")
                .add("prompt", "string")
                .add("data_source", "string")
                .add("ground_truth", "string"));
    RolloutConfig cfg = config("unused", "gpu", 0);
    assertThatThrownBy(
            () -> {
              try {
                RolloutSparkStage.run(spark, prompts, cfg, null).collectAsList();
              } catch (Exception e) { // SparkException is checked
                throw RolloutJob.unwrap(e);
              }
            })
        .isInstanceOfSatisfying(
            GristmillException.class, e -> assertThat(e.kind().exitCode()).isEqualTo(5))
        .hasMessageContaining("no GPU was found");
  }

  @Test
  void plainJsonLinesWithoutIdsGetContentHashIdsAndCarryAnswers() throws IOException {
    Path jsonl = tmp.resolve("prompts.jsonl");
    Files.writeString(
        jsonl,
        "{\"question\": \"What is 3+3?\", \"ground_truth\": \"6\", \"data_source\": \"gsm8k\"}\n"
            + "{\"question\": \"Name a prime.\"}\n");
    RolloutConfig cfg =
        new RolloutConfig(
            model.toString(),
            jsonl.toString(),
            null,
            "question",
            null,
            "r",
            null,
            false,
            "cpu",
            1,
            null,
            GEN.withNumSamples(1));
    RolloutJob.Result r = RolloutJob.run(spark, cfg, tmp.resolve("out").toString());
    List<Row> rows =
        spark.read().parquet(r.snapshotDir() + "/data").orderBy("prompt").collectAsList();
    assertThat(rows)
        .extracting(
            x ->
                x.<String>getAs("prompt_id")
                    + " "
                    + x.getAs("data_source")
                    + " "
                    + x.getAs("ground_truth"))
        .containsExactly(
            StableIds.contentHash(TextNormalizer.normalize("Name a prime.")) + " null null",
            StableIds.contentHash(TextNormalizer.normalize("What is 3+3?")) + " gsm8k 6");
    assertThat(rows.get(0).<String>getAs("prompt_id")).hasSize(32);
  }

  @Test
  void parquetWithNeitherMessagesNorThePromptFieldFailsWithTheColumnsItLacks() {
    Path bad = tmp.resolve("picked");
    spark
        .createDataFrame(
            List.of(RowFactory.create("a", 0.5)),
            new org.apache.spark.sql.types.StructType()
                .add("prompt_id", "string")
                .add("predicted", "double"))
        .write()
        .parquet(bad.toString());
    assertThatThrownBy(
            () ->
                RolloutJob.run(
                    spark, config(bad.toString(), "cpu", 0), tmp.resolve("o").toString()))
        .isInstanceOfSatisfying(
            GristmillException.class, e -> assertThat(e.kind().exitCode()).isEqualTo(2))
        .hasMessage(
            "Cannot run rollout on "
                + bad
                + ": a 'prompt_set' table needs column(s) id and messages, or 'prompt' (set"
                + " prompt_field; it has: prompt_id, predicted), which it lacks. gristmill curate (of gsm8k, math,"
                + " math500, verl sources) writes such tables.");
  }
}
