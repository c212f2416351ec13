package io.gristmill.curation.dedup.near;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import io.gristmill.core.record.Reason;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.StageReport;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Near-duplicate removal: MinHash signatures, LSH band buckets, verified candidate pairs,
 * distributed connected components, one representative per cluster. Deterministic: the outputs
 * depend only on the rows and the config, never on partitioning. Nothing large reaches the driver.
 */
public final class NearDedupSparkStage {
  public static final String STAGE = "near_dedup";

  private NearDedupSparkStage() {}

  /** Dedups {@code input} ({@code SparkSchemas.CONVERSATION} columns) against itself. */
  public static NearDedupResult run(Dataset<Row> input, NearDedupConfig cfg) {
    return run(input, cfg, null);
  }

  /**
   * Dedups {@code input} against itself and against {@code priorState} (from {@link
   * NearDedupStateSparkStage#load}, or null): rows similar to a prior row are rejected as
   * duplicates of it; prior rows are never recomputed or output.
   */
  public static NearDedupResult run(
      Dataset<Row> input, NearDedupConfig cfg, Dataset<Row> priorState) {
    long start = System.nanoTime();
    LshBanding banding = cfg.banding();
    if (!cfg.enabled()) {
      long n = input.count();
      Dataset<Row> none =
          input.sparkSession().createDataFrame(java.util.List.of(), SparkSchemas.REJECTED);
      return new NearDedupResult(
          input,
          none,
          input.sparkSession().createDataFrame(java.util.List.of(), NearDedupStateSparkStage.STATE),
          new StageReport(STAGE, n, n, Map.of(), seconds(start)),
          new NearDedupResult.Info(banding.bands(), banding.rows(), 0, 0, 0, 0, 0, 0, 0));
    }
    Dataset<Row> fresh = SignatureSparkStage.nodes(input, cfg);
    Dataset<Row> nodes =
        priorState == null
            ? fresh
            : fresh.unionByName(NearDedupStateSparkStage.asPriorNodes(priorState));
    nodes = nodes.persist(StorageLevel.MEMORY_AND_DISK());

    Dataset<Row> pairs =
        CandidateSparkStage.candidates(nodes, banding, cfg.maxBucketSize())
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> edges =
        CandidateSparkStage.verify(pairs, nodes, cfg.exactVerify(), cfg.threshold())
            .persist(StorageLevel.MEMORY_AND_DISK());
    ComponentsSparkStage.Result cc = ComponentsSparkStage.run(edges.select("src", "dst"));

    Dataset<Row> best =
        cc.components()
            .join(nodes.select(col("id").as("node"), col("rank")), "node")
            .groupBy("root")
            .agg(min("rank").as("best"));
    Column compare = col(cfg.exactVerify() ? "shingles" : "sig");
    Dataset<Row> members =
        cc.components()
            .join(best, "root")
            .where(col("node").notEqual(col("best.id")))
            .join(
                nodes.select(col("id").as("node"), col("rank.prior").as("prior"), compare.as("a")),
                "node")
            .where(col("prior").equalTo(1))
            .join(
                nodes.select(col("id").as("rep"), compare.as("b")),
                col("best.id").equalTo(col("rep")))
            .select(
                col("node").as("dup_id"),
                col("rep").as("duplicate_of"),
                col("best.original_id").as("duplicate_of_original_id"),
                CandidateSparkStage.similarity(cfg.exactVerify())
                    .apply(col("a"), col("b"))
                    .as("similarity"))
            .persist(StorageLevel.MEMORY_AND_DISK());

    Dataset<Row> kept =
        input.join(members, input.col("id").equalTo(members.col("dup_id")), "left_anti");
    Dataset<Row> rejected = rejectedRows(input, members, cfg.exactVerify());
    Dataset<Row> state =
        nodes
            .where(col("sig").isNotNull())
            .join(members, col("id").equalTo(col("dup_id")), "left_anti")
            .select(NearDedupStateSparkStage.stateColumns());

    long rowsIn = input.count();
    long dups = members.count();
    NearDedupResult.Info info =
        new NearDedupResult.Info(
            banding.bands(),
            banding.rows(),
            banding.falsePositiveArea(cfg.threshold()),
            banding.falseNegativeArea(cfg.threshold()),
            pairs.count(),
            edges.count(),
            best.count(),
            cc.rounds(),
            fresh.where(col("sig").isNull()).count());
    StageReport report =
        new StageReport(
            STAGE,
            rowsIn,
            rowsIn - dups,
            dups == 0 ? Map.of() : Map.of(Reason.NEAR_DUPLICATE.code(), dups),
            seconds(start));
    return new NearDedupResult(kept, rejected, state, report, info);
  }

  private static Dataset<Row> rejectedRows(
      Dataset<Row> input, Dataset<Row> members, boolean exact) {
    return input
        .join(members, input.col("id").equalTo(members.col("dup_id")))
        .select(
            lit(STAGE).as("stage"),
            lit(Reason.NEAR_DUPLICATE.code()).as("reason"),
            col("source"),
            lit(null).cast(DataTypes.StringType).as("file"),
            lit(0L).as("line"),
            col("original_id"),
            col("id"),
            col("messages"),
            col("metadata"),
            lit(null).cast(DataTypes.StringType).as("excerpt"),
            concat(
                    lit("near duplicate of "),
                    col("duplicate_of"),
                    lit(exact ? " (exact Jaccard " : " (estimated Jaccard "),
                    format_number(col("similarity"), 4),
                    lit(")"))
                .as("detail"),
            col("duplicate_of"),
            col("duplicate_of_original_id"),
            col("similarity"));
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
