package io.gristmill.rollout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout job on local[2] over a CONVERSATION Parquet prompt set. */
class RolloutJobTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void conversationPromptsGiveKSamplesIndependentOfPartitioning() {
    Path model = tmp.resolve("model");
    TinyCheckpointWriter.write(model, TinyCheckpointSpec.tiny());
    List<Row> convs =
        List.of(
            SparkSchemas.toRow(
                new Conversation(
                    "c1",
                    "s",
                    List.of(Message.system("be brief"), Message.user("2+2?")),
                    null,
                    null)),
            SparkSchemas.toRow(
                new Conversation("c2", "s", List.of(Message.user("hello there")), null, null)),
            SparkSchemas.toRow(
                new Conversation(
                    "c3", "s", List.of(Message.assistant("no user turn")), null, null)));
    Path in = tmp.resolve("prompts");
    spark.createDataFrame(convs, SparkSchemas.CONVERSATION).write().parquet(in.toString());
    GenerationParams g =
        GenerationParams.defaults().withMaxNewTokens(6).withNumSamples(2).withSeed(3);
    RolloutConfig one =
        new RolloutConfig(
            model.toString(), in.toString(), null, null, null, "r", "tiny", true, "cpu", 1, 1, g);
    RolloutConfig three =
        new RolloutConfig(
            model.toString(), in.toString(), null, null, null, "r", "tiny", true, "cpu", 1, 3, g);
    RolloutJob.Result a = RolloutJob.run(spark, one, tmp.resolve("a").toString());
    RolloutJob.Result b = RolloutJob.run(spark, three, tmp.resolve("b").toString());
    List<Row> rowsA = spark.read().parquet(a.snapshotDir() + "/data").collectAsList();
    List<Row> rowsB = spark.read().parquet(b.snapshotDir() + "/data").collectAsList();
    assertThat(rowsA).hasSize(4).isEqualTo(rowsB);
    assertThat(rowsA).extracting(r -> r.<String>getAs("model_id")).containsOnly("tiny");
    assertThat(rowsA).extracting(r -> r.<String>getAs("prompt")).contains("2+2?", "hello there");
    assertThat(a.manifest().outputs()).containsEntry("data", 4L).containsEntry("rejected", 1L);
    assertThat(a.manifest().stages().get(0).rejected()).containsEntry("empty_content", 1L);
    assertThat(a.summary()).contains("rollout");
    SnapshotStore store =
        new SnapshotStore(
            tmp.resolve("a").toString(), "r", spark.sparkContext().hadoopConfiguration());
    assertThat(store.latest()).isPresent();
  }
}
