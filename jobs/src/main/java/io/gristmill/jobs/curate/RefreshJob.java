package io.gristmill.jobs.curate;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.stage.PriorSnapshot;
import io.gristmill.curation.ingest.SourceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code gristmill refresh}: the nightly increment of {@code curate}. It reads only input files
 * that are new or changed since the dataset's {@code LATEST} snapshot and runs the same pipeline as
 * {@code curate} with that snapshot as the prior (new rows are deduplicated exactly and, when
 * configured, through the saved signatures against what it kept, without recomputing it); the new
 * snapshot holds the old rows plus the new ones. With no snapshot yet it is a plain {@code curate};
 * with no new input it writes nothing.
 */
public final class RefreshJob {
  private static final Logger LOG = LoggerFactory.getLogger(RefreshJob.class);

  private RefreshJob() {}

  /** The run's result, or empty when there was nothing new to read. */
  public static Optional<CurateJob.Result> run(
      SparkSession spark, CurateConfig cfg, JsonNode effectiveConfig) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    SnapshotStore store = new SnapshotStore(cfg.outputRoot(), cfg.dataset(), conf);
    Optional<String> latest = store.latest();
    if (latest.isEmpty()) {
      LOG.info("refresh: dataset {} has no snapshot yet; curating everything", cfg.dataset());
      return Optional.of(CurateJob.run(spark, cfg, effectiveConfig));
    }
    String prevId = latest.get();
    Path prevDir = store.snapshotDir(prevId);
    Set<SeenInputs.Seen> seen = SeenInputs.read(prevDir, conf);
    List<SeenInputs.Seen> newSeen = new ArrayList<>();
    List<SourceConfig> fresh = SeenInputs.newFiles(cfg.sources(), seen, conf, newSeen);
    LOG.info("refresh: {} new or changed input files since snapshot {}", newSeen.size(), prevId);
    if (fresh.isEmpty()) {
      return Optional.empty();
    }
    SnapshotManifest prevManifest = store.readManifest(prevId);
    Dataset<Row> prevData = spark.read().parquet(store.dataDir(prevId).toString());
    Dataset<Row> prevRejected = spark.read().parquet(store.rejectedDir(prevId).toString());
    List<SeenInputs.Seen> reflected = new ArrayList<>(seen);
    reflected.addAll(newSeen);
    return Optional.of(
        CurateJob.run(
            spark,
            cfg.withSources(fresh),
            effectiveConfig,
            new PriorSnapshot(prevId, prevDir, prevData, prevRejected),
            prevManifest.inputs() == null ? List.of() : prevManifest.inputs(),
            reflected));
  }
}
