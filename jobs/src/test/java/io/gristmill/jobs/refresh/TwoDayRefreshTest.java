package io.gristmill.jobs.refresh;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.stage.StageReport;
import io.gristmill.core.testing.SharedData;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.jobs.curate.CurateConfig;
import io.gristmill.jobs.curate.CurateJob;
import io.gristmill.jobs.curate.RefreshJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 section 6: two nights of a real corpus. MT-Bench-101 ({@code
 * ../shared/data/sft_chat/mt_bench_101/mtbench101.jsonl}, 1,388 dialogues, lines copied byte for
 * byte) is split in two: day one is the first half as two files, {@code curate}d; day two adds two
 * files with the second half and one file repeating every tenth line of day one, and {@code
 * refresh} runs. Day two must read only its three new files (the ingest stage's input and the
 * manifest's per-file counts say so) and reject every repeat of day one. Its {@code LATEST} must
 * hold as many kept and rejected rows as one full {@code curate} over all five files, every row
 * identical in every column, except where day two brings a prompt or near duplicate of a day-one
 * row: refresh keeps the day-one row it already published, the full run keeps the member its
 * representative rule picks, and each run rejects the other's choice as a duplicate of its own
 * (checked pair by pair). Skips with a message when {@code ../shared} is absent.
 */
class TwoDayRefreshTest extends SparkTestBase {

  private static CurateConfig config(Path in, Path out) {
    String yaml =
        "dataset: mtbench\n"
            + "sources:\n"
            + "  - {name: mtbench101, path: '"
            + in
            + "/*.jsonl', format: history}\n"
            + "near_dedup: {threshold: 0.8, min_tokens: 5}\n";
    return ConfigLoader.fromString(
        yaml, "two-day.yaml", CurateConfig.class, List.of("output_root=" + out));
  }

  private static com.fasterxml.jackson.databind.JsonNode json(CurateConfig cfg) {
    return ConfigLoader.yamlMapper().valueToTree(cfg);
  }

  private static void write(Path file, List<String> lines) throws Exception {
    Files.writeString(file, lines.stream().map(l -> l + "\n").collect(Collectors.joining()));
  }

  private static List<String> sortedRows(Dataset<Row> rows0) {
    List<String> rows = new ArrayList<>(rows0.toJSON().collectAsList());
    rows.sort(null);
    return rows;
  }

  private static SnapshotManifest.InputFile input(SnapshotManifest m, String name) {
    return m.inputs().stream()
        .filter(i -> i.path().endsWith("/" + name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in the manifest inputs " + m.inputs()));
  }

  private static StageReport stage(SnapshotManifest m, String name) {
    return m.stages().stream()
        .filter(s -> s.stage().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stage " + name + " in " + m.stages()));
  }

  @Test
  void dayTwoReadsOnlyItsFilesDropsRepeatsAndEqualsOneFullCurate(
      @TempDir Path in, @TempDir Path nightly, @TempDir Path full) throws Exception {
    Path corpus = SharedData.require("sft_chat/mt_bench_101/mtbench101.jsonl");
    List<String> lines =
        Files.readAllLines(corpus, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .toList();
    assertThat(lines).hasSize(1388);
    int half = lines.size() / 2;
    int quarter = half / 2;
    List<String> day1a = lines.subList(0, quarter);
    List<String> day1b = lines.subList(quarter, half);
    List<String> day2a = lines.subList(half, half + quarter);
    List<String> day2b = lines.subList(half + quarter, lines.size());
    List<String> repeats = new ArrayList<>();
    for (int i = 0; i < half; i += 10) {
      repeats.add(lines.get(i));
    }
    Map<String, List<String>> dayOne = Map.of("day1-a.jsonl", day1a, "day1-b.jsonl", day1b);
    Map<String, List<String>> dayTwo =
        Map.of("day2-a.jsonl", day2a, "day2-b.jsonl", day2b, "day2-repeats.jsonl", repeats);

    // Night one: curate the first half.
    for (var e : dayOne.entrySet()) {
      write(in.resolve(e.getKey()), e.getValue());
    }
    long t0 = System.nanoTime();
    CurateConfig nightlyCfg = config(in, nightly);
    CurateJob.Result one = CurateJob.run(spark, nightlyCfg, json(nightlyCfg));
    double s1 = (System.nanoTime() - t0) / 1e9;
    assertThat(stage(one.manifest(), "ingest").rowsIn()).isEqualTo(half);

    // Night two: three new files, refreshed.
    for (var e : dayTwo.entrySet()) {
      write(in.resolve(e.getKey()), e.getValue());
    }
    long t1 = System.nanoTime();
    CurateJob.Result two = RefreshJob.run(spark, nightlyCfg, json(nightlyCfg)).orElseThrow();
    double s2 = (System.nanoTime() - t1) / 1e9;
    SnapshotManifest m = two.manifest();
    assertThat(m.job()).isEqualTo("refresh");
    assertThat(m.previousSnapshot()).isEqualTo(one.manifest().snapshotId());
    assertThat(m.properties())
        .containsEntry("refresh_mode", "incremental")
        .containsEntry("refresh_files_added", 3)
        .containsEntry("refresh_files_changed", 0)
        .containsEntry("refresh_files_removed", 0);
    // Only the new files were read: ingest saw day two's rows and nothing of day one.
    long newRows = day2a.size() + day2b.size() + repeats.size();
    assertThat(stage(m, "ingest").rowsIn()).as(two.summary()).isEqualTo(newRows);
    for (var e : dayTwo.entrySet()) {
      assertThat(input(m, e.getKey()).rowsRead())
          .as("rows read of %s", e.getKey())
          .isEqualTo(e.getValue().size());
    }
    // Day one's inputs are carried with night one's counts, not read again.
    for (String f : dayOne.keySet()) {
      assertThat(input(m, f)).isEqualTo(input(one.manifest(), f));
    }
    // Every repeat of day one is rejected as a duplicate (exact, or near when night one had
    // already dropped its original as a near duplicate); none is kept.
    SnapshotManifest.InputFile rep = input(m, "day2-repeats.jsonl");
    assertThat(rep.rowsKept()).isZero();
    assertThat(rep.rowsRejected()).isEqualTo(repeats.size());
    assertThat(rep.rejectedByStage().keySet()).isSubsetOf("exact_dedup", "near_dedup");
    assertThat(rep.rejectedByStage().get("exact_dedup")).isPositive();
    assertThat(two.summary()).contains("carried forward");

    // One full curate over the same five files, into another output root.
    long t2 = System.nanoTime();
    CurateConfig fullCfg = config(in, full);
    CurateJob.Result once = CurateJob.run(spark, fullCfg, json(fullCfg));
    double s3 = (System.nanoTime() - t2) / 1e9;
    assertThat(stage(once.manifest(), "ingest").rowsIn()).isEqualTo(lines.size() + repeats.size());

    String latest =
        Files.readString(nightly.resolve("mtbench/LATEST"), StandardCharsets.UTF_8).trim();
    assertThat(latest).isEqualTo(m.snapshotId());
    String nightlyDir = nightly.resolve("mtbench/snapshots").resolve(latest).toString();
    Dataset<Row> gotData = spark.read().parquet(nightlyDir + "/data");
    Dataset<Row> wantData = spark.read().parquet(once.snapshotDir() + "/data");
    Dataset<Row> gotRejected = spark.read().parquet(nightlyDir + "/rejected");
    Dataset<Row> wantRejected = spark.read().parquet(once.snapshotDir() + "/rejected");
    assertThat(gotData.count()).as("kept rows").isEqualTo(wantData.count());
    assertThat(gotRejected.count()).as("rejected rows").isEqualTo(wantRejected.count());
    // Where day two repeats a day-one prompt (prompt or near duplicate), refresh keeps the day-one
    // row it already published, while one full curate picks the cluster's representative by its
    // rule (source priority, then the smaller id): the same cluster, the other member kept.
    Set<String> gotIds = ids(gotData);
    Set<String> wantIds = ids(wantData);
    Set<String> keptOnlyByRefresh = new TreeSet<>(gotIds);
    keptOnlyByRefresh.removeAll(wantIds);
    Set<String> keptOnlyByFull = new TreeSet<>(wantIds);
    keptOnlyByFull.removeAll(gotIds);
    assertThat(keptOnlyByRefresh).hasSameSizeAs(keptOnlyByFull);
    assertSwapped(gotRejected, keptOnlyByFull, keptOnlyByRefresh, "refresh");
    assertSwapped(wantRejected, keptOnlyByRefresh, keptOnlyByFull, "full curate");
    assertThat(files(gotData, keptOnlyByRefresh)).allMatch(f -> f.contains("/day1-"));
    assertThat(files(wantData, keptOnlyByFull)).allMatch(f -> f.contains("/day2-"));
    // Every other row, kept or rejected, is identical in every column.
    Set<String> swapped = new TreeSet<>(keptOnlyByRefresh);
    swapped.addAll(keptOnlyByFull);
    assertThat(
            difference(
                sortedRows(outside(gotData, swapped)), sortedRows(outside(wantData, swapped))))
        .as("LATEST's rows after two nights vs one full curate")
        .isEmpty();
    assertThat(
            difference(
                sortedRows(outside(gotRejected, swapped)),
                sortedRows(outside(wantRejected, swapped))))
        .as("rejected rows after two nights vs one full curate")
        .isEmpty();
    long kept = gotData.count();
    long dropped = gotRejected.count();
    System.out.printf(
        java.util.Locale.ROOT,
        "two-day refresh: curate day one %.1f s, refresh day two %.1f s, full curate %.1f s;"
            + " kept %d, rejected %d (repeats: %s); cross-day clusters with the other member kept:"
            + " %d %s%n",
        s1,
        s2,
        s3,
        kept,
        dropped,
        rep.rejectedByStage(),
        keptOnlyByRefresh.size(),
        keptOnlyByRefresh);
  }

  private static Set<String> ids(Dataset<Row> rows) {
    return new TreeSet<>(rows.select("id").as(Encoders.STRING()).collectAsList());
  }

  private static List<String> files(Dataset<Row> rows, Set<String> ids) {
    return rows.where(col("id").isin(ids.toArray()))
        .select("file")
        .as(Encoders.STRING())
        .collectAsList();
  }

  /** The rows neither of whose id and duplicate_of is in {@code ids}. */
  private static Dataset<Row> outside(Dataset<Row> rows, Set<String> ids) {
    Column out = not(col("id").isin(ids.toArray()));
    if (List.of(rows.columns()).contains("duplicate_of")) {
      out = out.and(not(coalesce(col("duplicate_of"), lit("")).isin(ids.toArray())));
    }
    return rows.where(out);
  }

  /**
   * Each of {@code rejectedIds} is rejected in {@code rejected} as a duplicate of one of {@code
   * keptIds} (by a dedup stage).
   */
  private static void assertSwapped(
      Dataset<Row> rejected, Set<String> rejectedIds, Set<String> keptIds, String run) {
    List<Row> rows =
        rejected
            .where(col("id").isin(rejectedIds.toArray()))
            .select("id", "stage", "duplicate_of")
            .collectAsList();
    assertThat(rows.stream().map(r -> r.getString(0)).collect(Collectors.toSet()))
        .as("%s rejects every row the other run kept in a swapped cluster", run)
        .isEqualTo(rejectedIds);
    for (Row r : rows) {
      assertThat(r.getString(1))
          .as("stage of %s in %s", r.getString(0), run)
          .isIn("prompt_dedup", "near_dedup", "exact_dedup");
      assertThat(keptIds)
          .as("%s: %s is a duplicate of", run, r.getString(0))
          .contains(r.getString(2));
    }
  }

  /**
   * Up to three rows only in {@code got} and three only in {@code want}, labelled; empty if equal.
   */
  private static List<String> difference(List<String> got, List<String> want) {
    java.util.Set<String> g = new java.util.HashSet<>(got);
    java.util.Set<String> w = new java.util.HashSet<>(want);
    List<String> out = new ArrayList<>();
    got.stream()
        .filter(r -> !w.contains(r))
        .limit(3)
        .forEach(r -> out.add("only after refresh: " + r));
    want.stream()
        .filter(r -> !g.contains(r))
        .limit(3)
        .forEach(r -> out.add("only in full curate: " + r));
    if (out.isEmpty() && got.size() != want.size()) {
      out.add("same distinct rows, " + got.size() + " vs " + want.size() + " rows");
    }
    return out;
  }
}
