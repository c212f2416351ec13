package io.gristmill.jobs.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: refresh reflects edits and deletions (finding 5), two runs never race (7), the output
 * stays where it belongs (8).
 */
class RefreshSafetyTest extends SparkTestBase {
  static String row(String id, String user, String assistant) {
    return String.format(
        "{\"id\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"},"
            + "{\"role\":\"assistant\",\"content\":\"%s\"}]}%n",
        id, user, assistant);
  }

  static CurateConfig config(Path in, Path out, String... overrides) {
    String yaml =
        "dataset: nightly\n"
            + "sources:\n"
            + "  - {name: feed, path: '"
            + in
            + "/*.jsonl', format: messages}\n";
    List<String> o = new ArrayList<>(List.of("output_root=" + out));
    o.addAll(List.of(overrides));
    return ConfigLoader.fromString(yaml, "refresh.yaml", CurateConfig.class, o);
  }

  static Optional<CurateJob.Result> refresh(CurateConfig cfg) {
    return RefreshJob.run(spark, cfg, ConfigLoader.yamlMapper().valueToTree(cfg));
  }

  /** Every row of a table as JSON, sorted: equal lists mean equal tables. */
  static List<String> rows(String dir) {
    return spark.read().parquet(dir).toJSON().collectAsList().stream().sorted().toList();
  }

  /** The three inputs of the first night: one kept row each, one duplicate (rejected). */
  static void firstNight(Path in) throws Exception {
    Files.writeString(
        in.resolve("keep.jsonl"), row("k1", "Name a prime number greater than ten.", "Eleven."));
    Files.writeString(
        in.resolve("edit.jsonl"),
        row("pii", "My phone number is 555 0100, please remember it.", "Noted.")
            + row("e2", "What is the capital of France?", "Paris."));
    Files.writeString(
        in.resolve("gone.jsonl"),
        row("g1", "What colour is a clear sky at noon?", "Blue.")
            + row("g2", "name a PRIME number greater than ten.", "Eleven."));
  }

  /** The second night: the PII row was removed from edit.jsonl, gone.jsonl was deleted. */
  static void secondNight(Path in) throws Exception {
    Path edit = in.resolve("edit.jsonl");
    Files.writeString(edit, row("e2", "What is the capital of France?", "Paris."));
    Files.setLastModifiedTime(edit, FileTime.from(Instant.now().plusSeconds(60)));
    Files.delete(in.resolve("gone.jsonl"));
  }

  /**
   * Finding 5: after an edit and a deletion, 5 rows were kept where a full curate of the same
   * inputs kept 2. Night one curates; night two adds a file (incremental: earlier rows and
   * rejections carried with their lineage); night three edits one file and deletes another.
   */
  @Test
  void refreshAfterAnEditAndADeletionEqualsAFullCurateOfTheSameInputs(
      @TempDir Path in, @TempDir Path out, @TempDir Path full) throws Exception {
    firstNight(in);
    CurateConfig cfg = config(in, out);
    CurateJob.Result first = refresh(cfg).orElseThrow();
    assertThat(first.manifest().outputs()).containsEntry("data", 4L).containsEntry("rejected", 1L);

    Files.writeString(in.resolve("day2.jsonl"), row("n1", "How many legs has a spider?", "Eight."));
    CurateJob.Result second = refresh(cfg).orElseThrow();
    assertThat(second.manifest().inputs()).hasSize(4);
    assertThat(rows(second.snapshotDir() + "/rejected"))
        .as("earlier rejections carried forward with their lineage (file, line, reason)")
        .isEqualTo(rows(first.snapshotDir() + "/rejected"))
        .singleElement()
        .asString()
        .contains("exact_duplicate");

    secondNight(in);
    CurateJob.Result third = refresh(cfg).orElseThrow();
    assertThat(third.manifest().job()).isEqualTo("refresh");
    assertThat(third.manifest().previousSnapshot()).isEqualTo(second.manifest().snapshotId());
    assertThat(
            spark.read().parquet(third.snapshotDir() + "/data").collectAsList().stream()
                .map(r -> r.<String>getAs("original_id")))
        .as("the PII row and the deleted file's rows are gone; k1 or g2, duplicates, one stays")
        .containsExactlyInAnyOrder("k1", "e2", "n1");
    assertThat(spark.read().parquet(third.snapshotDir() + "/rejected").count()).isZero();
    assertThat(third.manifest().inputs())
        .extracting(i -> Path.of(java.net.URI.create(i.path())).getFileName().toString())
        .containsExactlyInAnyOrder("keep.jsonl", "edit.jsonl", "day2.jsonl");
    assertThat(third.summary())
        .contains("1 changed (2 old rows replaced), 1 removed (2 rows removed)");

    CurateConfig curate = config(in, full);
    CurateJob.Result reference =
        CurateJob.run(spark, curate, ConfigLoader.yamlMapper().valueToTree(curate));
    assertThat(rows(third.snapshotDir() + "/data"))
        .isEqualTo(rows(reference.snapshotDir() + "/data"));
    assertThat(rows(third.snapshotDir() + "/rejected"))
        .isEqualTo(rows(reference.snapshotDir() + "/rejected"));
    assertThat(refresh(cfg)).as("nothing changed since").isEmpty();
  }

  /** Finding 7: both runs exited 0 and the later one moved LATEST back. */
  @Test
  void twoConcurrentRefreshesNeverLoseAnUpdate(@TempDir Path in, @TempDir Path out)
      throws Exception {
    firstNight(in);
    CurateConfig cfg = config(in, out);
    refresh(cfg).orElseThrow();
    Files.writeString(in.resolve("day2.jsonl"), row("n1", "How many legs has a spider?", "Eight."));
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Optional<CurateJob.Result>>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(
          pool.submit(
              () -> {
                start.await();
                return refresh(cfg);
              }));
    }
    List<CurateJob.Result> published = new ArrayList<>();
    List<Throwable> refused = new ArrayList<>();
    for (Future<Optional<CurateJob.Result>> f : runs) {
      try {
        published.add(f.get().orElseThrow());
      } catch (java.util.concurrent.ExecutionException e) {
        refused.add(e.getCause());
      }
    }
    pool.shutdown();
    assertThat(published).as("one run publishes").hasSize(1);
    assertThat(refused).as("the other is refused").hasSize(1);
    assertThat(refused.get(0))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("another run holds its lock");
    assertThat(((GristmillException) refused.get(0)).kind().exitCode()).isEqualTo(4);
    io.gristmill.core.snapshot.SnapshotStore store =
        new io.gristmill.core.snapshot.SnapshotStore(
            out.toString(), "nightly", new org.apache.hadoop.conf.Configuration());
    assertThat(store.latest()).contains(published.get(0).manifest().snapshotId());
    assertThat(rows(published.get(0).snapshotDir() + "/data")).hasSize(5);
    assertThat(out.resolve("nightly/LOCK")).doesNotExist();
    assertThat(refresh(cfg)).as("the refused run lost nothing: nothing is left to do").isEmpty();
  }

  /** Finding 8: {@code dataset: ".."} wrote outside the output root. */
  @Test
  void datasetNameThatLeavesTheOutputRootIsAConfigError(@TempDir Path in, @TempDir Path out) {
    assertThatThrownBy(() -> config(in, out, "dataset=.."))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("key 'dataset' has invalid value '..'");
  }

  /** Finding 8: an output root inside an input folder re-ingested the previous snapshot. */
  @Test
  void outputRootInsideAnInputFolderIsRefused(@TempDir Path in) throws Exception {
    Files.writeString(in.resolve("a.jsonl"), row("a", "What is two plus two?", "Four."));
    String yaml = "dataset: d\nsources:\n  - {name: all, path: '" + in + "', format: messages}\n";
    CurateConfig cfg =
        ConfigLoader.fromString(
            yaml, "c.yaml", CurateConfig.class, List.of("output_root=" + in.resolve("out")));
    GristmillException e =
        (GristmillException)
            catchThrowable(
                () -> CurateJob.run(spark, cfg, ConfigLoader.yamlMapper().valueToTree(cfg)));
    assertThat(e.kind().exitCode()).isEqualTo(2);
    assertThat(e)
        .hasMessageContaining("it is inside the folder")
        .hasMessageContaining("that source 'all' reads");
    try (Stream<Path> files = Files.list(in)) {
      assertThat(files).containsExactly(in.resolve("a.jsonl"));
    }
  }
}
