package io.gristmill.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scores a rollout snapshot as the rollout engine writes it: text column, no ground truth. */
class RolloutSnapshotInputTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void scoresTheLatestRolloutSnapshotWithJoinedGroundTruth() {
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
    store.commit(
        new SnapshotManifest(
            1,
            "rollouts",
            id,
            "rollout",
            "now",
            null,
            List.of(),
            null,
            List.of(),
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
