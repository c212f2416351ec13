package io.gristmill.jobs.curate;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.Errors;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.snapshot.DatasetLock;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.snapshot.SnapshotWriter;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.InputAccounting;
import io.gristmill.core.stage.Pipeline;
import io.gristmill.core.stage.PriorSnapshot;
import io.gristmill.core.stage.SavedState;
import io.gristmill.core.stage.StageContext;
import io.gristmill.curation.CurationStages;
import io.gristmill.curation.decontam.BenchmarkSpec;
import java.nio.file.Files;
import java.time.Duration;
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
 * {@code gristmill curate}: runs the curation {@link Pipeline} (ingest, exact and prompt dedup,
 * near dedup, decontamination, as configured) and publishes one snapshot through the {@link
 * SnapshotWriter}: {@code data/}, {@code rejected/}, the saved near-dedup state, {@code
 * inputs_seen.json}, the manifest and the summary. {@code refresh} runs the same pipeline with a
 * {@link PriorSnapshot}. A run holds the dataset's {@link DatasetLock} from start to end, removes
 * what runs that died left behind, removes its own half-written snapshot when it fails, and applies
 * retention ({@code snapshots.keep_last}) after the commit.
 */
public final class CurateJob {
  private static final Logger LOG = LoggerFactory.getLogger(CurateJob.class);

  /** The snapshot folder holding near-dedup signatures of everything kept so far. */
  public static final String NEAR_DEDUP_STATE = CurationStages.NEAR_DEDUP_STATE;

  private CurateJob() {}

  /**
   * What a run produced.
   *
   * @param retired snapshots deleted afterwards by retention ({@code snapshots.keep_last})
   */
  public record Result(
      String snapshotDir, SnapshotManifest manifest, String summary, List<String> retired) {}

  /** A full run: takes the dataset lock, curates every source, publishes one snapshot. */
  public static Result run(SparkSession spark, CurateConfig cfg, JsonNode effectiveConfig) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    preflight(cfg, conf);
    try (DatasetLock lock = lock(cfg, conf, "curate")) {
      return publish(spark, cfg, effectiveConfig, Increment.none("curate"));
    }
  }

  /**
   * Checks what can be checked before any Spark work, so that a mistake costs seconds, not an
   * ingest and a dedup: every benchmark file exists, a local task classifier, judge or reward model
   * exists and the judge's templates are readable, and the dataset folder is not inside a folder a
   * source reads (the next run would ingest its own snapshots).
   */
  public static void preflight(CurateConfig cfg, Configuration conf) {
    if (cfg.runsDecontamination()) {
      for (BenchmarkSpec b : cfg.decontamination().benchmarks()) {
        if (!Files.exists(java.nio.file.Path.of(b.path()))) {
          throw Errors.inputNotFound("benchmark " + b.name(), b.path());
        }
      }
    }
    var annotate = cfg.annotateToRun();
    if (annotate != null && annotate.classifier() != null) {
      java.net.URI uri = new org.apache.hadoop.fs.Path(annotate.classifier()).toUri();
      if ((uri.getScheme() == null || uri.getScheme().equals("file"))
          && !Files.isDirectory(java.nio.file.Path.of(uri.getPath(), "metadata"))) {
        throw Errors.classifierNotFound("annotate.classifier", annotate.classifier());
      }
    }
    if (cfg.runsJudge()) {
      localModelExists("judge.model", cfg.judge().model());
      io.gristmill.curation.annotate.judge.JudgePrompts.load(cfg.judge()); // templates readable
    }
    if (cfg.runsRewardModel()) {
      localModelExists("reward_model.model", cfg.rewardModel().model());
    }
    OutputPlacement.check(cfg, conf);
  }

  /** A local (scheme-less or file:) model path must exist; cluster paths are checked on use. */
  private static void localModelExists(String key, String path) {
    java.net.URI uri = new org.apache.hadoop.fs.Path(path).toUri();
    if ((uri.getScheme() == null || uri.getScheme().equals("file"))
        && !Files.exists(java.nio.file.Path.of(uri.getPath()))) {
      throw Errors.modelNotFound(path + " (" + key + ")");
    }
  }

  /**
   * The dataset's lock for {@code command}, stale after {@code snapshots.lock_stale_after_minutes}.
   */
  static DatasetLock lock(CurateConfig cfg, Configuration conf, String command) {
    return DatasetLock.acquire(
        new SnapshotStore(cfg.outputRoot(), cfg.dataset(), conf).datasetDir(),
        conf,
        command + " " + cfg.dataset(),
        Duration.ofMinutes(cfg.snapshots().lockStaleAfterMinutes()));
  }

  /**
   * How a run relates to the snapshot before it.
   *
   * @param job {@code curate} or {@code refresh}
   * @param prior the snapshot new rows are deduplicated against and carried from (incremental
   *     refresh), or null
   * @param previousSnapshot the id recorded as {@code previous_snapshot}, or null
   * @param priorInputs the prior snapshot's manifest inputs (carried into this manifest)
   * @param seen the files this snapshot reflects (for {@code inputs_seen.json}); when empty they
   *     are the files ingest listed
   * @param details extra summary lines
   * @param properties extra manifest properties
   */
  record Increment(
      String job,
      PriorSnapshot prior,
      String previousSnapshot,
      List<SnapshotManifest.InputFile> priorInputs,
      List<SeenInputs.Seen> seen,
      List<String> details,
      Map<String, Object> properties) {
    static Increment none(String job) {
      return new Increment(job, null, null, List.of(), List.of(), List.of(), Map.of());
    }
  }

  /**
   * Runs the pipeline over {@code cfg.sources()} and publishes; the caller holds the dataset lock.
   * Output of runs that died earlier is removed first; this run's half-written snapshot is removed
   * when it fails; retention runs after the commit.
   */
  static Result publish(
      SparkSession spark, CurateConfig cfg, JsonNode effectiveConfig, Increment inc) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    SnapshotStore store =
        new SnapshotStore(cfg.outputRoot(), cfg.dataset(), conf).withPolicy(cfg.snapshots());
    store.cleanStale();
    SnapshotWriter w =
        SnapshotWriter.begin(spark, cfg.outputRoot(), cfg.dataset(), inc.job(), kindOf(cfg))
            .withPolicy(cfg.snapshots());
    LOG.info("{}: dataset {} -> snapshot {}", inc.job(), cfg.dataset(), w.dir());
    SnapshotWriter.Published p;
    try {
      p = write(spark, cfg, effectiveConfig, inc, w);
    } catch (Throwable t) { // also Spark's undeclared checked SparkException
      w.abort();
      throw t;
    }
    List<String> retired = List.of();
    if (cfg.snapshots().keepLast() != null) {
      retired = store.retain(cfg.snapshots().keepLast());
      retired.forEach(id -> LOG.info("retention: deleted snapshot {}", id));
    }
    return new Result(p.snapshotDir(), p.manifest(), p.summary(), retired);
  }

  private static SnapshotWriter.Published write(
      SparkSession spark,
      CurateConfig cfg,
      JsonNode effectiveConfig,
      Increment inc,
      SnapshotWriter w) {
    PriorSnapshot prior = inc.prior();
    CurationStages stages =
        CurationStages.build(
            cfg.sources(),
            cfg.ingest(),
            cfg.exactDedup(),
            cfg.runsNearDedup() ? cfg.nearDedup() : null,
            cfg.runsDecontamination() ? cfg.decontamination() : null,
            cfg.annotateToRun(),
            cfg.runsJudge() ? cfg.judge() : null,
            cfg.runsRewardModel() ? cfg.rewardModel() : null,
            cfg.runsMix() ? cfg.mix() : null);
    Pipeline.Result r = new Pipeline(stages.stages()).run(null, StageContext.of(spark, prior));

    Dataset<Row> kept = r.kept();
    Dataset<Row> rejected = r.rejected();
    List<String> details = new ArrayList<>(r.details());
    details.addAll(inc.details());
    if (prior != null) {
      details.add(
          String.format(
              "refresh: rows of snapshot %s carried forward; %d new rows added",
              prior.snapshotId(), r.reports().get(r.reports().size() - 1).kept()));
      kept = prior.data().unionByName(kept, true);
      rejected = prior.rejected().unionByName(rejected, true);
    }
    LOG.info("writing data/ and rejected/");
    w.writeData(conversationsFirst(kept), cfg.outputFiles(), "id", "id");
    w.writeRejected(rejected);
    for (SavedState s : r.state()) {
      w.writeState(s);
    }

    List<SnapshotManifest.InputFile> listed = new ArrayList<>(inc.priorInputs());
    listed.addAll(stages.listedInputs());
    List<SeenInputs.Seen> reflected =
        inc.seen().isEmpty()
            ? SeenInputs.statAll(
                stages.listedInputs().stream().map(SnapshotManifest.InputFile::path).toList(),
                spark.sparkContext().hadoopConfiguration())
            : inc.seen();
    w.writeFile(SeenInputs.FILE, SeenInputs.toJson(reflected));
    // Accounted from what was written, so the per-file numbers sum to the snapshot's totals.
    List<SnapshotManifest.InputFile> inputs =
        InputAccounting.account(listed, w.written("data"), w.written("rejected"));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("sources", cfg.sources().size());
    properties.putAll(inc.properties());
    io.gristmill.jobs.report.Reports.writeInto(
        w, cfg.dataset(), inc.job(), effectiveConfig, r.reports(), details, properties);
    return w.commit(
        new SnapshotWriter.Commit(
            inputs, effectiveConfig, r.reports(), details, properties, inc.previousSnapshot()));
  }

  /** {@code prompt_set} when every source is a prompt-set format, else {@code conversation}. */
  static DatasetKind kindOf(CurateConfig cfg) {
    boolean prompts = cfg.sources().stream().allMatch(s -> s.format().isPromptSet());
    return prompts ? DatasetKind.PROMPT_SET : DatasetKind.CONVERSATION;
  }

  /**
   * The conversation columns first, in the schema's order (missing ones, from snapshots written
   * before they existed, as nulls), then any columns stages added (e.g. {@code contamination}).
   */
  static Dataset<Row> conversationsFirst(Dataset<Row> rows) {
    List<String> present = List.of(rows.columns());
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    for (var f : SparkSchemas.CONVERSATION.fields()) {
      cols.add(
          present.contains(f.name())
              ? org.apache.spark.sql.functions.col(f.name())
              : org.apache.spark.sql.functions.lit(null).cast(f.dataType()).as(f.name()));
    }
    for (String c : present) {
      if (SparkSchemas.CONVERSATION.getFieldIndex(c).isEmpty()) {
        cols.add(org.apache.spark.sql.functions.col(c));
      }
    }
    return rows.select(cols.toArray(org.apache.spark.sql.Column[]::new));
  }
}
