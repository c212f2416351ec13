package io.gristmill.jobs.curate;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.spark.DeterministicParquet;
import io.gristmill.core.stage.StageReport;
import io.gristmill.core.stage.SummaryTable;
import io.gristmill.curation.decontam.DecontaminationResult;
import io.gristmill.curation.decontam.DecontaminationSparkStage;
import io.gristmill.curation.dedup.exact.DedupResult;
import io.gristmill.curation.dedup.exact.ExactDedupSparkStage;
import io.gristmill.curation.dedup.near.NearDedupResult;
import io.gristmill.curation.dedup.near.NearDedupSparkStage;
import io.gristmill.curation.dedup.near.NearDedupStateSparkStage;
import io.gristmill.curation.ingest.IngestResult;
import io.gristmill.curation.ingest.IngestSparkStage;
import io.gristmill.jobs.JobInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code gristmill curate}: ingest every source, drop exact duplicates, and publish a snapshot with
 * {@code data/}, {@code rejected/}, {@code manifest.json} and {@code summary.txt}; {@code LATEST}
 * moves only after all of it is written.
 */
public final class CurateJob {
  private static final Logger LOG = LoggerFactory.getLogger(CurateJob.class);

  /** The snapshot folder holding near-dedup signatures of everything kept so far. */
  public static final String NEAR_DEDUP_STATE = "near_dedup_state";

  private CurateJob() {}

  /** What a run produced. */
  public record Result(String snapshotDir, SnapshotManifest manifest, String summary) {}

  /**
   * What an earlier snapshot kept, for {@code refresh}: new rows are deduplicated against it and it
   * is carried forward into the new snapshot.
   *
   * @param snapshotId the earlier snapshot
   * @param data its kept rows (CONVERSATION columns)
   * @param nearState its near-dedup signatures, or null when it has none
   * @param seen the input files it reflects
   */
  record Prior(
      String snapshotId,
      Dataset<Row> data,
      Dataset<Row> nearState,
      java.util.Set<SeenInputs.Seen> seen) {}

  public static Result run(SparkSession spark, CurateConfig cfg, JsonNode effectiveConfig) {
    return run(spark, cfg, effectiveConfig, null, List.of());
  }

  /**
   * Runs the stages over {@code cfg.sources()}; with a {@code prior}, dedups against it and writes
   * its rows plus the new ones. {@code newSeen} are the files read this time (for {@code
   * inputs_seen.json}); when empty they are listed from the ingest result.
   */
  static Result run(
      SparkSession spark,
      CurateConfig cfg,
      JsonNode effectiveConfig,
      Prior prior,
      List<SeenInputs.Seen> newSeen) {
    long start = System.nanoTime();
    SnapshotStore store =
        new SnapshotStore(
            cfg.outputRoot(), cfg.dataset(), spark.sparkContext().hadoopConfiguration());
    String id = SnapshotStore.newSnapshotId(Instant.now());
    LOG.info("curate: dataset {} -> snapshot {}", cfg.dataset(), store.snapshotDir(id));

    List<StageReport> stages = new ArrayList<>();
    List<Dataset<Row>> rejected = new ArrayList<>();

    LOG.info("stage ingest: start ({} sources)", cfg.sources().size());
    IngestResult ingest = IngestSparkStage.run(spark, cfg.sources(), cfg.ingest());
    log(ingest.report());
    stages.add(ingest.report());
    rejected.add(ingest.rejected());

    LOG.info("stage exact_dedup: start");
    DedupResult dedup =
        ExactDedupSparkStage.run(
            ingest.kept(), cfg.exactDedup(), prior == null ? null : prior.data());
    dedup.reports().forEach(CurateJob::log);
    stages.addAll(dedup.reports());
    rejected.add(dedup.rejected());
    Dataset<Row> kept = dedup.kept();
    List<String> details = new ArrayList<>();
    NearDedupResult near = null;

    if (cfg.runsNearDedup()) {
      LOG.info("stage near_dedup: start");
      near =
          NearDedupSparkStage.run(kept, cfg.nearDedup(), prior == null ? null : prior.nearState());
      log(near.report());
      LOG.info("near_dedup: {}", near.info().summary());
      details.add("near_dedup: " + near.info().summary());
      stages.add(near.report());
      rejected.add(near.rejected());
      kept = near.kept();
    }

    if (cfg.runsDecontamination()) {
      LOG.info(
          "stage decontamination: start ({} benchmarks)",
          cfg.decontamination().benchmarks().size());
      DecontaminationResult dc = DecontaminationSparkStage.run(kept, cfg.decontamination());
      log(dc.report());
      String perBenchmark =
          String.format(
              "decontamination (%d-grams, policy %s): %d benchmark items indexed; contaminated rows"
                  + " per benchmark %s; items too short to index %s; %d boilerplate n-grams ignored",
              cfg.decontamination().ngram(),
              cfg.decontamination().policy(),
              dc.indexedItems(),
              dc.perBenchmark(),
              dc.unindexedItems(),
              dc.boilerplateNgrams());
      LOG.info(perBenchmark);
      details.add(perBenchmark);
      stages.add(dc.report());
      rejected.add(dc.rejected());
      kept = dc.kept();
    }

    long newRows = stages.get(stages.size() - 1).kept();
    long carried = 0;
    if (prior != null) {
      carried = prior.data().count();
      details.add(
          String.format(
              "refresh: %d rows carried forward from snapshot %s, %d new rows added",
              carried, prior.snapshotId(), newRows));
      kept = prior.data().unionByName(kept, true);
    }
    LOG.info("writing data/ and rejected/");
    DeterministicParquet.write(kept, store.dataDir(id).toString(), cfg.outputFiles(), "id", "id");
    if (near != null) {
      // Signatures of every row kept so far: a later run dedups new data against them.
      NearDedupStateSparkStage.write(
          near.state(), cfg.nearDedup(), store.outputDir(id, NEAR_DEDUP_STATE).toString());
    }
    Dataset<Row> allRejected = rejected.get(0);
    for (int i = 1; i < rejected.size(); i++) {
      allRejected = allRejected.unionByName(rejected.get(i));
    }
    DeterministicParquet.write(
        allRejected,
        store.rejectedDir(id).toString(),
        1,
        "source",
        "stage",
        "source",
        "file",
        "line",
        "id");

    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<SeenInputs.Seen> seen = new ArrayList<>(prior == null ? List.of() : prior.seen());
    seen.addAll(
        newSeen.isEmpty()
            ? SeenInputs.statAll(
                ingest.inputs().stream().map(SnapshotManifest.InputFile::path).toList(), hadoop)
            : newSeen);
    store.writeFile(
        new org.apache.hadoop.fs.Path(store.snapshotDir(id), SeenInputs.FILE),
        SeenInputs.toJson(seen));

    long keptRows = newRows + carried;
    long rejectedRows = stages.stream().mapToLong(StageReport::rejectedTotal).sum();
    Map<String, Long> outputs = new LinkedHashMap<>();
    outputs.put("data", keptRows);
    outputs.put("rejected", rejectedRows);
    double seconds = (System.nanoTime() - start) / 1e9;
    SnapshotManifest manifest =
        new SnapshotManifest(
            SnapshotManifest.FORMAT_VERSION,
            cfg.dataset(),
            id,
            prior == null ? "curate" : "refresh",
            Instant.now().toString(),
            JobInfo.codeVersion(),
            ingest.inputs(),
            effectiveConfig,
            stages,
            outputs,
            prior == null ? null : prior.snapshotId(),
            seconds);
    String summary = summary(manifest, details);
    store.commit(manifest, summary);
    spark.catalog().clearCache();
    return new Result(store.snapshotDir(id).toString(), manifest, summary);
  }

  /** The human-readable summary: the stage table, then per-file counts. */
  public static String summary(SnapshotManifest m) {
    return summary(m, List.of());
  }

  /** The summary with extra per-stage lines (banding chosen, per-benchmark counts). */
  public static String summary(SnapshotManifest m, List<String> details) {
    StringBuilder sb = new StringBuilder();
    sb.append("Gristmill ")
        .append(m.job())
        .append(" — dataset ")
        .append(m.dataset())
        .append(", snapshot ")
        .append(m.snapshotId())
        .append('\n')
        .append(String.format(java.util.Locale.ROOT, "finished in %.1f s%n%n", m.totalSeconds()));
    sb.append(SummaryTable.render(m.stages())).append('\n');
    for (String d : details) {
      sb.append(d).append('\n');
    }
    if (!details.isEmpty()) {
      sb.append('\n');
    }
    if (m.inputs() != null && !m.inputs().isEmpty()) {
      sb.append("Per input file: rows read = kept + rejected\n");
      for (SnapshotManifest.InputFile f : m.inputs()) {
        sb.append(
            String.format(
                java.util.Locale.ROOT,
                "  %-16s %7d = %7d + %6d  %s%n",
                f.source(),
                f.rowsRead(),
                f.rowsKept(),
                f.rowsRejected(),
                f.path()));
      }
    }
    sb.append('\n');
    m.outputs().forEach((k, v) -> sb.append(String.format("%s: %d rows%n", k, v)));
    return sb.toString();
  }

  private static void log(StageReport r) {
    LOG.info(
        "stage {}: done in {} s — {} in, {} kept, {} rejected {}",
        r.stage(),
        String.format(java.util.Locale.ROOT, "%.1f", r.seconds()),
        r.rowsIn(),
        r.kept(),
        r.rejectedTotal(),
        r.rejected());
  }
}
