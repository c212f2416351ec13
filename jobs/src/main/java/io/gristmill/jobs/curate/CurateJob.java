package io.gristmill.jobs.curate;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotWriter;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.InputAccounting;
import io.gristmill.core.stage.Pipeline;
import io.gristmill.core.stage.PriorSnapshot;
import io.gristmill.core.stage.SavedState;
import io.gristmill.core.stage.StageContext;
import io.gristmill.curation.CurationStages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * {@link PriorSnapshot}.
 */
public final class CurateJob {
  private static final Logger LOG = LoggerFactory.getLogger(CurateJob.class);

  /** The snapshot folder holding near-dedup signatures of everything kept so far. */
  public static final String NEAR_DEDUP_STATE = CurationStages.NEAR_DEDUP_STATE;

  private CurateJob() {}

  /** What a run produced. */
  public record Result(String snapshotDir, SnapshotManifest manifest, String summary) {}

  public static Result run(SparkSession spark, CurateConfig cfg, JsonNode effectiveConfig) {
    return run(spark, cfg, effectiveConfig, null, List.of(), List.of());
  }

  /**
   * Runs the pipeline over {@code cfg.sources()}; with a {@code prior}, new rows are deduplicated
   * against it and the snapshot holds its rows (kept and rejected) plus the new ones.
   *
   * @param priorInputs the prior snapshot's manifest inputs (carried into this manifest)
   * @param seen the files this snapshot reflects (for {@code inputs_seen.json}); when empty they
   *     are the files ingest listed
   */
  static Result run(
      SparkSession spark,
      CurateConfig cfg,
      JsonNode effectiveConfig,
      PriorSnapshot prior,
      List<SnapshotManifest.InputFile> priorInputs,
      List<SeenInputs.Seen> seen) {
    String job = prior == null ? "curate" : "refresh";
    SnapshotWriter w =
        SnapshotWriter.begin(spark, cfg.outputRoot(), cfg.dataset(), job, kindOf(cfg));
    LOG.info("{}: dataset {} -> snapshot {}", job, cfg.dataset(), w.dir());
    CurationStages stages =
        CurationStages.build(
            cfg.sources(),
            cfg.ingest(),
            cfg.exactDedup(),
            cfg.runsNearDedup() ? cfg.nearDedup() : null,
            cfg.runsDecontamination() ? cfg.decontamination() : null);
    Pipeline.Result r = new Pipeline(stages.stages()).run(null, StageContext.of(spark, prior));

    Dataset<Row> kept = r.kept();
    Dataset<Row> rejected = r.rejected();
    List<String> details = new ArrayList<>(r.details());
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

    List<SnapshotManifest.InputFile> listed = new ArrayList<>(priorInputs);
    listed.addAll(stages.listedInputs());
    List<SeenInputs.Seen> reflected =
        seen.isEmpty()
            ? SeenInputs.statAll(
                stages.listedInputs().stream().map(SnapshotManifest.InputFile::path).toList(),
                spark.sparkContext().hadoopConfiguration())
            : seen;
    w.writeFile(SeenInputs.FILE, SeenInputs.toJson(reflected));
    // Accounted from what was written, so the per-file numbers sum to the snapshot's totals.
    List<SnapshotManifest.InputFile> inputs =
        InputAccounting.account(listed, w.written("data"), w.written("rejected"));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("sources", cfg.sources().size());
    SnapshotWriter.Published p =
        w.commit(
            new SnapshotWriter.Commit(
                inputs,
                effectiveConfig,
                r.reports(),
                details,
                properties,
                prior == null ? null : prior.snapshotId()));
    return new Result(p.snapshotDir(), p.manifest(), p.summary());
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
