package io.gristmill.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scores rollout snapshots as {@code gristmill rollout} writes them: the rows carry the ground
 * truth, data_source, token ids and logprobs, so no other file is needed; older snapshots without a
 * ground truth still take one from {@code ground_truth_path}.
 */
class RolloutSnapshotInputTest extends SparkTestBase {
  @TempDir Path dir;

  private static ScoreConfig config(String input) {
    return ConfigLoader.fromString(
        "input: {path: '" + input + "'}\nrewards: {default: {type: math}}\n",
        "t.yaml",
        ScoreConfig.class,
        List.of());
  }

  @Test
  void aRolloutSnapshotScoresWithNoOtherFileAndKeepsItsTokens() {
    String rollouts =
        SnapshotFixtures.publish(
            spark,
            dir,
            "rollouts",
            "rollout",
            DatasetKind.ROLLOUT,
            SnapshotFixtures.rollouts(
                spark,
                List.of(
                    SnapshotFixtures.rolloutRow(
                        "a",
                        0,
                        "gsm8k",
                        "4",
                        "2+2?",
                        "so #### 4",
                        List.of(1, 2),
                        List.of(5, 6),
                        List.of(-0.5f, -0.25f)),
                    SnapshotFixtures.rolloutRow(
                        "a",
                        1,
                        "gsm8k",
                        "4",
                        "2+2?",
                        "#### 5",
                        List.of(1, 2),
                        List.of(7),
                        List.of(-1.5f)),
                    SnapshotFixtures.rolloutRow(
                        "b",
                        0,
                        "math",
                        "\\frac{1}{2}",
                        "half?",
                        "\\boxed{0.5}",
                        List.of(3),
                        List.of(8, 9),
                        List.of(-0.125f, -2f)))),
            "prompt_id");
    ScoreConfig cfg = config(rollouts);
    assertThat(ScoreJob.checkInput(cfg, new Configuration()).kind()).isEqualTo(DatasetKind.ROLLOUT);
    ScoreSummary s = ScoreJob.run(spark, cfg, dir.resolve("out").toString());

    List<Row> data =
        spark
            .read()
            .parquet(s.snapshotDir() + "/data")
            .orderBy("prompt_id", "sample_index")
            .collectAsList();
    assertThat(data)
        .extracting(
            r ->
                r.getAs("prompt_id")
                    + "#"
                    + r.getAs("sample_index")
                    + " "
                    + r.getAs("data_source")
                    + " "
                    + r.getAs("ground_truth")
                    + " "
                    + r.getAs("reward")
                    + " "
                    + r.getAs("generator"))
        .containsExactly(
            "a#0 gsm8k 4 1.0 tiny", "a#1 gsm8k 4 0.0 tiny", "b#0 math \\frac{1}{2} 1.0 tiny");
    Row a0 = data.get(0);
    assertThat(a0.getList(a0.fieldIndex("prompt_token_ids"))).containsExactly(1, 2);
    assertThat(a0.getList(a0.fieldIndex("response_token_ids"))).containsExactly(5, 6);
    assertThat(a0.getList(a0.fieldIndex("response_logprobs"))).containsExactly(-0.5f, -0.25f);
    assertThat(a0.<Double>getAs("advantage")).isPositive().isEqualTo(a0.getAs("grpo_advantage"));
    assertThat(data.get(1).<Double>getAs("advantage")).isNegative();
    assertThat(
            DatasetKind.SCORED_ROLLOUT.missingFrom(
                spark.read().parquet(s.snapshotDir() + "/data").schema()))
        .isEmpty();
    assertThat(
            DatasetKind.DIFFICULTY.missingFrom(
                spark.read().parquet(s.snapshotDir() + "/difficulty").schema()))
        .isEmpty();
    SnapshotManifest m =
        new SnapshotStore(
                dir.resolve("out").toString(), "scored", spark.sparkContext().hadoopConfiguration())
            .readManifest(s.snapshotId());
    assertThat(m.properties())
        .containsEntry("advantage_variant", "grpo")
        .containsEntry("input_kind", "rollout");
    assertThat(m.inputs()).hasSize(1);
    assertThat(m.inputs().get(0).sha256()).hasSize(64);
    assertThat(m.inputs().get(0).bytes()).isPositive();
    assertThat(m.inputs().get(0).rowsKept()).isEqualTo(3);
  }

  @Test
  void anOlderRolloutSnapshotWithoutAnswersTakesThemFromTheGroundTruthTable() {
    StructType rollout =
        new StructType()
            .add("prompt_id", DataTypes.StringType)
            .add("sample_index", DataTypes.IntegerType)
            .add("data_source", DataTypes.StringType)
            .add("text", DataTypes.StringType)
            .add("finish_reason", DataTypes.StringType);
    SnapshotStore store =
        new SnapshotStore(dir.toString(), "rollouts", spark.sparkContext().hadoopConfiguration());
    String id = "20260101T000000Z-abcdef";
    spark
        .createDataFrame(
            List.of(
                RowFactory.create("a", 0, "math", "\\boxed{4}", "stop"),
                RowFactory.create("a", 1, "math", "\\boxed{5}", "length"),
                RowFactory.create("b", 0, null, "#### 10", "stop"),
                RowFactory.create("c", null, "math", "\\boxed{1}", "stop")),
            rollout)
        .write()
        .parquet(store.dataDir(id).toString());
    // a manifest from before kinds were recorded: the job names the kind
    store.commit(
        new SnapshotManifest(
            1,
            "rollouts",
            id,
            "rollout",
            null,
            0,
            null,
            "now",
            null,
            List.of(),
            null,
            List.of(),
            List.of(),
            Map.of(),
            Map.of(),
            null,
            0),
        "");
    StructType gt =
        new StructType()
            .add("prompt_id", DataTypes.StringType)
            .add("ground_truth", DataTypes.StringType);
    spark
        .createDataFrame(List.of(RowFactory.create("a", "4"), RowFactory.create("b", "10")), gt)
        .write()
        .parquet(dir.resolve("gt").toString());

    ScoreConfig cfg =
        ConfigLoader.fromString(
            "input: {path: '"
                + dir.resolve("rollouts")
                + "', format: rollout_snapshot,"
                + " data_source: gsm8k, ground_truth_path: '"
                + dir.resolve("gt")
                + "'}\n"
                + "rewards: {default: {type: math}}\n",
            "t.yaml",
            ScoreConfig.class,
            List.of());
    ScoreSummary s = ScoreJob.run(spark, cfg, dir.resolve("out").toString());

    assertThat(s.stages().get(0).rejected()).containsEntry("missing_field", 1L);
    List<Row> data =
        spark
            .read()
            .parquet(s.snapshotDir() + "/data")
            .orderBy("prompt_id", "sample_index")
            .collectAsList();
    assertThat(data).extracting(r -> r.<String>getAs("prompt_id")).containsExactly("a", "a", "b");
    assertThat(data)
        .extracting(r -> r.<Boolean>getAs("correct"))
        .containsExactly(true, false, true);
    assertThat(data.get(2).<String>getAs("data_source")).isEqualTo("gsm8k");
    assertThat(data.get(0).<String>getAs("finish_reason")).isEqualTo("stop");
    assertThat(data.get(0).<Object>getAs("prompt_token_ids")).isNull();
    Row rejected = spark.read().parquet(s.snapshotDir() + "/rejected").first();
    assertThat(rejected.<String>getAs("stage")).isEqualTo("score_input");
    assertThat(rejected.<String>getAs("id")).isEqualTo("c");
    assertThat(rejected.<String>getAs("detail")).isEqualTo("missing field 'sample_index'");
  }

  @Test
  void aCuratedSnapshotIsTheWrongKindAndFailsBeforeSparkNamingRollout() {
    String curated =
        SnapshotFixtures.publish(
            spark,
            dir,
            "gsm",
            "curate",
            DatasetKind.PROMPT_SET,
            SnapshotFixtures.conversations(
                spark, List.of(SnapshotFixtures.promptRow("i1", "2+2?", "4", "gsm8k"))),
            "id");
    assertThatThrownBy(() -> ScoreJob.checkInput(config(curated), new Configuration()))
        .isInstanceOfSatisfying(
            GristmillException.class, e -> assertThat(e.kind().exitCode()).isEqualTo(2))
        .hasMessage(
            "Cannot run score on "
                + curated
                + ": it holds a 'prompt_set' dataset (written by gristmill curate), and score needs"
                + " a 'rollout' dataset. Produce one with gristmill rollout and point at its"
                + " dataset folder or snapshot.");
  }

  @Test
  void parquetWithoutAPromptIdFailsAtStart() {
    spark
        .createDataFrame(
            List.of(RowFactory.create("x")), new StructType().add("text", DataTypes.StringType))
        .write()
        .parquet(dir.resolve("bad").toString());
    ScoreConfig cfg =
        ConfigLoader.fromString(
            "input: {path: '"
                + dir.resolve("bad")
                + "', format: parquet}\nrewards: {default: {}}\n",
            "t.yaml",
            ScoreConfig.class,
            List.of());
    assertThatThrownBy(() -> ScoreJob.run(spark, cfg, dir.resolve("out").toString()))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot score "
                + dir.resolve("bad")
                + ": the input has no column 'prompt_id' (it has:"
                + " text). Imported rollouts need prompt_id and response (or text); see"
                + " conf/scoring-imported.yaml.");
  }
}
