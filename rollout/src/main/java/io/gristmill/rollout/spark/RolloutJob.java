package io.gristmill.rollout.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.record.Reason;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.StageReport;
import io.gristmill.core.stage.SummaryTable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code gristmill rollout}: reads the prompt set, runs {@link RolloutSparkStage}, and writes a
 * snapshot {@code OUTPUT_ROOT/<dataset>/snapshots/<id>/} with {@code data/} (rollout rows sorted by
 * prompt id and sample index), {@code rejected/} (core REJECTED rows: stage {@code rollout}, reason
 * {@code oversized_record} or {@code empty_content}), a manifest and a summary.
 */
public final class RolloutJob {
  private RolloutJob() {}

  /** Where the snapshot went, its manifest, and the printed summary. */
  public record Result(String snapshotDir, SnapshotManifest manifest, String summary) {}

  public static Result run(SparkSession spark, RolloutConfig cfg, String outputRoot) {
    long start = System.nanoTime();
    SnapshotStore store =
        new SnapshotStore(outputRoot, cfg.dataset(), spark.sparkContext().hadoopConfiguration());
    String id = SnapshotStore.newSnapshotId(Instant.now());
    Dataset<Row> prompts = PromptSets.read(spark, cfg);
    Dataset<Row> all =
        RolloutSparkStage.run(spark, prompts, cfg).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> kept = RolloutSparkStage.kept(all);
      kept.orderBy("prompt_id", "sample_index").write().parquet(store.dataDir(id).toString());
      Dataset<Row> rejected = toRejected(RolloutSparkStage.rejected(all), cfg);
      rejected.orderBy("original_id").write().parquet(store.rejectedDir(id).toString());
      long samples = kept.count();
      long promptsIn = prompts.count();
      Map<String, Long> byReason = new LinkedHashMap<>();
      for (Row r : rejected.groupBy("reason").count().collectAsList()) {
        byReason.put(r.getString(0), r.getLong(1));
      }
      long rejectedPrompts = byReason.values().stream().mapToLong(Long::longValue).sum();
      double seconds = (System.nanoTime() - start) / 1e9;
      StageReport report =
          new StageReport("rollout", promptsIn, promptsIn - rejectedPrompts, byReason, seconds);
      Map<String, Long> outputs = new LinkedHashMap<>();
      outputs.put("data", samples);
      outputs.put("rejected", rejectedPrompts);
      JsonNode config = ConfigLoader.yamlMapper().valueToTree(cfg);
      SnapshotManifest m =
          new SnapshotManifest(
              SnapshotManifest.FORMAT_VERSION,
              cfg.dataset(),
              id,
              "rollout",
              Instant.now().toString(),
              "unknown",
              List.of(),
              config,
              List.of(report),
              outputs,
              null,
              seconds);
      String summary =
          String.format(
                  java.util.Locale.ROOT,
                  "Gristmill rollout — dataset %s, snapshot %s%n%d samples from %d prompts%n%n",
                  cfg.dataset(),
                  id,
                  samples,
                  promptsIn)
              + SummaryTable.render(List.of(report));
      store.commit(m, summary);
      return new Result(store.snapshotDir(id).toString(), m, summary);
    } finally {
      all.unpersist();
    }
  }

  private static Dataset<Row> toRejected(Dataset<Row> r, RolloutConfig cfg) {
    Column reason =
        when(
                col("finish_reason").equalTo(RolloutRows.PROMPT_TOO_LONG),
                lit(Reason.OVERSIZED_RECORD.code()))
            .otherwise(lit(Reason.EMPTY_CONTENT.code()));
    Map<String, Column> cols = new LinkedHashMap<>();
    cols.put("stage", lit("rollout"));
    cols.put("reason", reason);
    cols.put("source", lit(cfg.prompts()));
    cols.put("file", lit(cfg.prompts()));
    cols.put("line", lit(0L));
    cols.put("original_id", col("prompt_id"));
    cols.put("id", col("prompt_id"));
    cols.put("excerpt", substring(col("prompt"), 1, 200));
    cols.put(
        "detail",
        org.apache.spark.sql.functions.concat(
            lit("prompt has "), col("prompt_tokens").cast("string"), lit(" tokens")));
    Column[] select = new Column[SparkSchemas.REJECTED.fields().length];
    int i = 0;
    for (StructField f : SparkSchemas.REJECTED.fields()) {
      Column c = cols.getOrDefault(f.name(), lit(null));
      select[i++] = c.cast(f.dataType()).as(f.name());
    }
    return r.select(select);
  }
}
