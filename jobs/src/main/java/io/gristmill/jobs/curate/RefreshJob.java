package io.gristmill.jobs.curate;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.snapshot.DatasetLock;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.stage.PriorSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code gristmill refresh}: the nightly increment of {@code curate}, under the dataset lock. It
 * compares the inputs with the {@code LATEST} snapshot ({@link RefreshPlan}). Only new files: they
 * are read and run through the same pipeline with that snapshot as the prior (deduplicated exactly
 * and, when configured, through the saved signatures against what it kept, without recomputing it),
 * and the new snapshot holds the old rows plus the new ones. A changed or removed input (or {@code
 * --full}): every current input is read again, so the snapshot equals a full {@code curate} of
 * them, and the summary counts the rows replaced and removed. No snapshot yet: a plain {@code
 * curate}. Nothing new: nothing is written.
 */
public final class RefreshJob {
  private static final Logger LOG = LoggerFactory.getLogger(RefreshJob.class);

  private RefreshJob() {}

  /** The run's result, or empty when there was nothing new to read. */
  public static Optional<CurateJob.Result> run(
      SparkSession spark, CurateConfig cfg, JsonNode effectiveConfig) {
    return run(spark, cfg, effectiveConfig, false);
  }

  /**
   * @param full read every input again even when only new files were added
   */
  public static Optional<CurateJob.Result> run(
      SparkSession spark, CurateConfig cfg, JsonNode effectiveConfig, boolean full) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    CurateJob.preflight(cfg, conf);
    try (DatasetLock lock = CurateJob.lock(cfg, conf, "refresh")) {
      // Planned under the lock: LATEST cannot move between the plan and the commit.
      RefreshPlan plan = RefreshPlan.of(cfg, conf, full);
      LOG.info("refresh of {}: {} ({})", cfg.dataset(), plan.mode(), plan.reason());
      return switch (plan.mode()) {
        case NOTHING -> Optional.empty();
        case CURATE ->
            Optional.of(
                CurateJob.publish(spark, cfg, effectiveConfig, CurateJob.Increment.none("curate")));
        case FULL ->
            Optional.of(CurateJob.publish(spark, cfg, effectiveConfig, fullIncrement(plan)));
        case INCREMENTAL -> Optional.of(incremental(spark, cfg, effectiveConfig, plan, conf));
      };
    }
  }

  private static CurateJob.Increment fullIncrement(RefreshPlan plan) {
    List<String> details = new ArrayList<>();
    details.add(
        String.format(
            Locale.ROOT,
            "refresh: every input read again (%s); %d new, %d changed (%d old rows replaced), %d"
                + " removed (%d rows removed), %d unchanged input file(s)",
            plan.reason(),
            plan.added().size(),
            plan.changed().size(),
            plan.oldRowsOf(plan.changed()),
            plan.removed().size(),
            plan.oldRowsOf(plan.removed()),
            plan.unchanged()));
    plan.changed().forEach(f -> details.add("refresh: changed, rows replaced: " + f));
    plan.removed().forEach(f -> details.add("refresh: removed, rows removed: " + f));
    return new CurateJob.Increment(
        "refresh",
        null,
        plan.previousSnapshot(),
        List.of(),
        plan.listed(),
        details,
        properties(plan));
  }

  private static CurateJob.Result incremental(
      SparkSession spark,
      CurateConfig cfg,
      JsonNode effectiveConfig,
      RefreshPlan plan,
      Configuration conf) {
    SnapshotStore store = new SnapshotStore(cfg.outputRoot(), cfg.dataset(), conf);
    String prevId = plan.previousSnapshot();
    Path prevDir = store.snapshotDir(prevId);
    SnapshotManifest prevManifest = store.readManifest(prevId);
    Dataset<Row> prevData = spark.read().parquet(store.dataDir(prevId).toString());
    Dataset<Row> prevRejected = spark.read().parquet(store.rejectedDir(prevId).toString());
    return CurateJob.publish(
        spark,
        cfg.withSources(plan.fresh()),
        effectiveConfig,
        new CurateJob.Increment(
            "refresh",
            new PriorSnapshot(prevId, prevDir, prevData, prevRejected),
            prevId,
            prevManifest.inputs() == null ? List.of() : prevManifest.inputs(),
            plan.listed(),
            List.of(),
            properties(plan)));
  }

  private static Map<String, Object> properties(RefreshPlan plan) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("refresh_mode", plan.mode().name().toLowerCase(Locale.ROOT));
    p.put("refresh_files_added", plan.added().size());
    p.put("refresh_files_changed", plan.changed().size());
    p.put("refresh_files_removed", plan.removed().size());
    p.put("refresh_rows_replaced", plan.oldRowsOf(plan.changed()));
    p.put("refresh_rows_removed", plan.oldRowsOf(plan.removed()));
    return p;
  }
}
