package io.gristmill.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.StageReport;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One snapshot writer: layout, names, kinds, no clutter; and resolving what it wrote. */
class SnapshotWriterTest extends SparkTestBase {
  private static Dataset<Row> conversations(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          SparkSchemas.toRow(
              new Conversation(
                      "id" + i,
                      "s",
                      List.of(Message.user("q" + i), Message.assistant("a")),
                      null,
                      "{}")
                  .withLineage("in.jsonl", i + 1)));
    }
    return spark.createDataFrame(rows, SparkSchemas.CONVERSATION).repartition(3);
  }

  private static SnapshotWriter.Published publish(Path root, Dataset<Row> rows) {
    SnapshotWriter w =
        SnapshotWriter.begin(spark, root.toString(), "ds", "curate", DatasetKind.CONVERSATION);
    w.writeData(rows, 2, "id", "id");
    w.writeRejected(RejectedRows.of(rows.limit(1), "test", () -> "filtered", Map.of()));
    return w.commit(
        new SnapshotWriter.Commit(
            List.of(new SnapshotManifest.InputFile("s", "in.jsonl", 10, "ab", 0, 0, 0)),
            Json.mapper().createObjectNode(),
            List.of(new StageReport("ingest", 3, 3, Map.of(), 0.1)),
            List.of("a detail"),
            Map.of("k", "v"),
            null));
  }

  @Test
  void writesDeterministicNamesNoClutterAndAManifestWithKindAndSchema(@TempDir Path root)
      throws Exception {
    SnapshotWriter.Published p = publish(root, conversations(5));
    Path dir = Path.of(p.snapshotDir());
    try (Stream<Path> files = Files.walk(dir)) {
      List<String> names =
          files
              .filter(Files::isRegularFile)
              .map(f -> dir.relativize(f).toString())
              .sorted()
              .toList();
      assertThat(names)
          .containsExactly(
              "data/part-00000.parquet",
              "data/part-00001.parquet",
              "manifest.json",
              "rejected/part-00000.parquet",
              "summary.txt");
    }
    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".crc") || n.equals("_SUCCESS"));
    }
    SnapshotManifest m = p.manifest();
    assertThat(m.kind()).isEqualTo("conversation");
    assertThat(m.kindVersion()).isEqualTo(1);
    assertThat(m.outputs()).containsEntry("data", 5L).containsEntry("rejected", 1L);
    assertThat(m.codeVersion()).isNotBlank().isNotEqualTo("unknown");
    assertThat(m.schema().get("fields").size()).isEqualTo(SparkSchemas.CONVERSATION.size());
    assertThat(p.summary()).contains("kind conversation").contains("a detail").contains("k: v");
  }

  @Test
  void aDatasetFolderResolvesToItsLatestSnapshotAndWrongKindsFailNamingTheProducer(
      @TempDir Path root) {
    SnapshotWriter.Published p = publish(root, conversations(2));
    var conf = spark.sparkContext().hadoopConfiguration();
    SnapshotRef ref = SnapshotRef.resolve(root.resolve("ds").toString(), conf);
    assertThat(ref.snapshotDir().toString()).endsWith(p.manifest().snapshotId());
    assertThat(ref.kind()).isEqualTo(DatasetKind.CONVERSATION);
    assertThat(SnapshotRef.resolve(p.snapshotDir() + "/data", conf).kind())
        .isEqualTo(DatasetKind.CONVERSATION);
    assertThat(ref.asInput("snapshot", conf).sha256()).hasSize(64);
    assertThat(ref.asInput("snapshot", conf).bytes()).isPositive();
    assertThatThrownBy(() -> ref.requireKind("score", Set.of(DatasetKind.ROLLOUT)))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot run score on "
                + root.resolve("ds")
                + ": it holds a 'conversation' dataset (written by gristmill curate), and score"
                + " needs a 'rollout' dataset. Produce one with gristmill rollout and point at its"
                + " dataset folder or snapshot.")
        .satisfies(e -> assertThat(((GristmillException) e).kind().exitCode()).isEqualTo(2));
  }

  @Test
  void dataWithoutTheKindsColumnsIsRefused(@TempDir Path root) {
    SnapshotWriter w =
        SnapshotWriter.begin(spark, root.toString(), "r", "rollout", DatasetKind.ROLLOUT);
    assertThatThrownBy(() -> w.writeData(conversations(1), 1, "id", "id"))
        .isInstanceOf(GristmillException.class)
        .hasMessageStartingWith("Cannot publish the rollout snapshot: its data lacks the 'rollout'")
        .hasMessageContaining("prompt_id (string)");
  }
}
