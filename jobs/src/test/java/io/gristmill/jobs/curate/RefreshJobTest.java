package io.gristmill.jobs.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nightly refresh: only new files, deduplicated against what the last snapshot kept. */
class RefreshJobTest extends SparkTestBase {
  private static final String LONG =
      "Plan a three day walking trip through the hills north of the old mill town, with a"
          + " stop at the lake on the second day, a list of what to pack for rain, and a short"
          + " note on where to buy bread and cheese for lunch along the way each day";

  private static String row(String id, String user, String assistant) {
    return String.format(
        "{\"id\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"},"
            + "{\"role\":\"assistant\",\"content\":\"%s\"}]}%n",
        id, user, assistant);
  }

  private static CurateConfig config(Path in, Path out) {
    String yaml =
        "dataset: nightly\n"
            + "sources:\n"
            + "  - {name: feed, path: '"
            + in
            + "/*.jsonl', format: messages}\n"
            + "near_dedup: {threshold: 0.8, min_tokens: 5}\n";
    return ConfigLoader.fromString(
        yaml, "refresh.yaml", CurateConfig.class, List.of("output_root=" + out));
  }

  private static Optional<CurateJob.Result> refresh(CurateConfig cfg) {
    return RefreshJob.run(spark, cfg, ConfigLoader.yamlMapper().valueToTree(cfg));
  }

  @Test
  void secondNightReadsOnlyNewFilesAndDedupsAgainstTheFirst(@TempDir Path in, @TempDir Path out)
      throws Exception {
    Files.writeString(
        in.resolve("day1.jsonl"),
        row("a", "What is the boiling point of water?", "100 C at sea level.")
            + row("b", LONG, "Day one: ..."));
    CurateConfig cfg = config(in, out);

    CurateJob.Result first = refresh(cfg).orElseThrow();
    assertThat(first.manifest().job()).isEqualTo("curate");
    assertThat(first.manifest().outputs()).containsEntry("data", 2L);
    assertThat(refresh(cfg)).as("nothing new on an unchanged input folder").isEmpty();

    Files.writeString(
        in.resolve("day2.jsonl"),
        row("a-again", "what is the BOILING point of water?", "100 C at sea level.")
            + row("b-near", LONG + " please", "Day one: ...")
            + row("c", "Name a prime number greater than ten.", "Eleven."));
    CurateJob.Result second = refresh(cfg).orElseThrow();
    assertThat(second.manifest().job()).isEqualTo("refresh");
    assertThat(second.manifest().previousSnapshot()).isEqualTo(first.manifest().snapshotId());
    // The refresh snapshot accounts for every input it reflects: day1's rows were carried forward.
    assertThat(second.manifest().inputs()).hasSize(2);
    var day1 = second.manifest().inputs().get(0);
    var day2 = second.manifest().inputs().get(1);
    assertThat(day1.path()).endsWith("day1.jsonl");
    assertThat(day1.rowsKept()).isEqualTo(2L);
    assertThat(day2.path()).endsWith("day2.jsonl");
    assertThat(day2.rowsKept()).isEqualTo(1L);
    assertThat(day2.rowsRejected()).isEqualTo(2L);
    assertThat(day2.rejectedByStage())
        .containsEntry("exact_dedup", 1L)
        .containsEntry("near_dedup", 1L);
    io.gristmill.jobs.testing.ManifestSchema.assertAccounted(Path.of(second.snapshotDir()));
    assertThat(second.manifest().outputs())
        .as(second.summary())
        .containsEntry("data", 3L)
        .containsEntry("rejected", 2L);

    List<Row> data = spark.read().parquet(second.snapshotDir() + "/data").collectAsList();
    assertThat(data)
        .extracting(r -> r.<String>getAs("original_id"))
        .containsExactlyInAnyOrder("a", "b", "c");
    Map<String, Row> rejected = new TreeMap<>();
    spark
        .read()
        .parquet(second.snapshotDir() + "/rejected")
        .collectAsList()
        .forEach(r -> rejected.put(r.getAs("original_id"), r));
    assertThat(rejected.get("a-again").<String>getAs("reason")).isEqualTo("exact_duplicate");
    assertThat(rejected.get("a-again").<String>getAs("duplicate_of_original_id")).isEqualTo("a");
    assertThat(rejected.get("b-near").<String>getAs("reason")).isEqualTo("near_duplicate");
    assertThat(rejected.get("b-near").<String>getAs("duplicate_of_original_id")).isEqualTo("b");
    assertThat(second.summary()).contains("carried forward").contains("1 new rows added");
  }

  /**
   * Issue 14 publication, in one nightly scenario on a store whose rename is not atomic (the {@code
   * norename://} stand-in for S3): pointer publication, {@code --dry-run}, disk full (finding 11:
   * exit 4, nothing half-written left), cleanup of a killed run's leftovers, {@code snapshots
   * diff}, {@code --full} and retention ({@code keep_last: 2}).
   */
  @Test
  void nightlyPublicationSurvivesDiskFullAndKeepsTheLastTwo(@TempDir Path in, @TempDir Path out)
      throws Exception {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    io.gristmill.core.testing.NoRenameFileSystem.register(conf);
    String root = io.gristmill.core.testing.NoRenameFileSystem.SCHEME + "://" + out;
    Files.writeString(
        in.resolve("day1.jsonl"),
        row("a", "What is the boiling point of water?", "100 C at sea level."));
    String yaml =
        "dataset: nightly\nsnapshots: {keep_last: 2}\nsources:\n"
            + "  - {name: feed, path: '"
            + in
            + "/*.jsonl', format: messages}\n";
    CurateConfig cfg =
        ConfigLoader.fromString(yaml, "n.yaml", CurateConfig.class, List.of("output_root=" + root));
    io.gristmill.core.testing.NoRenameFileSystem.RENAMES.clear();
    CurateJob.Result s1 = refresh(cfg).orElseThrow();
    assertThat(io.gristmill.core.testing.NoRenameFileSystem.RENAMES)
        .as("LATEST and manifest.json are published by single writes, never renamed")
        .isNotEmpty()
        .noneMatch(p -> p.endsWith("/LATEST") || p.endsWith("/manifest.json"));
    io.gristmill.core.snapshot.SnapshotStore store =
        new io.gristmill.core.snapshot.SnapshotStore(root, "nightly", conf);
    assertThat(store.latest()).contains(s1.manifest().snapshotId());

    Files.writeString(
        in.resolve("day2.jsonl"), row("c", "Name a prime number greater than ten.", "Eleven."));
    List<String> before = listing(out);
    String plan = RefreshPlan.of(cfg, conf, false).render("nightly");
    assertThat(plan)
        .contains("would run: incremental (1 new input file(s))")
        .contains("would read 1 file(s):\n  file:" + in.resolve("day2.jsonl"))
        .contains("would replace the rows of 0 changed file(s)")
        .contains("unchanged: 1 file(s)");
    assertThat(listing(out)).as("--dry-run writes nothing").isEqualTo(before);

    io.gristmill.core.snapshot.PublishFaults.inject(
        (step, path) -> {
          if (step.equals("write:rejected")) {
            throw new RuntimeException(
                "Job aborted due to stage failure",
                new java.io.IOException("No space left on device"));
          }
        });
    Throwable full;
    try {
      full = org.assertj.core.api.Assertions.catchThrowable(() -> refresh(cfg));
    } finally {
      io.gristmill.core.snapshot.PublishFaults.clear();
    }
    assertThat(full)
        .isInstanceOf(io.gristmill.core.GristmillException.class)
        .hasMessageContaining("the file system is full (No space left on device)")
        .hasMessageContaining("the previous snapshot is unchanged");
    assertThat(((io.gristmill.core.GristmillException) full).kind().exitCode()).isEqualTo(4);
    assertThat(store.latest()).contains(s1.manifest().snapshotId());
    assertThat(listing(out)).as("no half-written snapshot, no lock left").isEqualTo(before);

    // What a run killed with -9 leaves: a snapshot folder without manifest, a LATEST temp file.
    Path dead = out.resolve("nightly/snapshots/20990101T000000Z-dead00/data");
    Files.createDirectories(dead);
    Files.writeString(dead.resolve("part-00000.parquet"), "half");
    Files.writeString(out.resolve("nightly/.LATEST.0000.tmp"), "20990101T000000Z-dead00");
    CurateJob.Result s2 = refresh(cfg).orElseThrow();
    assertThat(out.resolve("nightly/snapshots/20990101T000000Z-dead00")).doesNotExist();
    assertThat(out.resolve("nightly/.LATEST.0000.tmp")).doesNotExist();

    io.gristmill.core.snapshot.SnapshotDiff d =
        io.gristmill.core.snapshot.SnapshotDiff.of(
            spark, store, s1.manifest().snapshotId(), s2.manifest().snapshotId());
    assertThat(d.kept())
        .containsExactly(new io.gristmill.core.snapshot.SnapshotDiff.Line("feed", "", 1, 0));
    assertThat(d.rejectedAdded() + d.rejectedRemoved()).isZero();
    assertThat(d.render()).contains("kept rows: +1 -0");

    CurateJob.Result s3 =
        RefreshJob.run(spark, cfg, ConfigLoader.yamlMapper().valueToTree(cfg), true).orElseThrow();
    assertThat(s3.manifest().properties()).containsEntry("refresh_mode", "full");
    assertThat(spark.read().parquet(s3.snapshotDir() + "/data").toJSON().collectAsList())
        .containsExactlyInAnyOrderElementsOf(
            spark.read().parquet(s2.snapshotDir() + "/data").toJSON().collectAsList());
    assertThat(s3.retired()).containsExactly(s1.manifest().snapshotId());
    assertThat(store.completeSnapshots())
        .containsExactly(s2.manifest().snapshotId(), s3.manifest().snapshotId());
  }

  private static List<String> listing(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      return files.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
