package io.gristmill.curation.dedup.exact;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.gristmill.core.record.Message;
import io.gristmill.core.record.Reason;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.StageReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.immutable.Seq;

/**
 * Exact deduplication in Spark: a conversation-level pass, then a prompt-level pass on what
 * survived (each can be switched off). Keys come from {@link DedupKeys}; within a key, rows are
 * ranked by source priority (listed sources first, in list order), then id, original id and
 * metadata, so the kept row does not depend on partitioning. A window over the key gives every row
 * its keeper; no data is collected to the driver, only the counts.
 */
public final class ExactDedupSparkStage {
  public static final String STAGE = "exact_dedup";
  private static final Logger LOG = LogManager.getLogger(ExactDedupSparkStage.class);

  private ExactDedupSparkStage() {}

  public static DedupResult run(Dataset<Row> conversations, ExactDedupConfig config) {
    return run(conversations, config, null);
  }

  /**
   * Dedups {@code conversations} within themselves and against {@code prior} (rows an earlier
   * snapshot kept, CONVERSATION columns; or null). A prior row always wins its key, is never output
   * again, and is what {@code duplicate_of} names when a new row repeats it.
   */
  public static DedupResult run(
      Dataset<Row> conversations, ExactDedupConfig config, Dataset<Row> prior) {
    Dataset<Row> priorRows = prior == null ? null : prior.select(conversationColumns());
    Dataset<Row> kept = conversations;
    Dataset<Row> rejected = null;
    List<StageReport> reports = new ArrayList<>();
    if (config.conversationLevel()) {
      Level l =
          level(kept, priorRows, conversationKey(), Reason.EXACT_DUPLICATE, "conversation", config);
      kept = l.kept;
      rejected = l.rejected;
      reports.add(l.report);
    }
    if (config.promptLevel()) {
      Level l = level(kept, priorRows, promptKey(), Reason.PROMPT_DUPLICATE, "prompt", config);
      kept = l.kept;
      rejected = rejected == null ? l.rejected : rejected.unionByName(l.rejected);
      reports.add(l.report);
    }
    if (rejected == null) {
      rejected = conversations.sparkSession().createDataFrame(List.of(), SparkSchemas.REJECTED);
    }
    return new DedupResult(kept, rejected, List.copyOf(reports));
  }

  private record Level(Dataset<Row> kept, Dataset<Row> rejected, StageReport report) {}

  private static Level level(
      Dataset<Row> in,
      Dataset<Row> prior,
      UserDefinedFunction key,
      Reason reason,
      String name,
      ExactDedupConfig cfg) {
    long start = System.nanoTime();
    String stage = STAGE + "." + name;
    LOG.info("{}: start", stage);
    WindowSpec w =
        Window.partitionBy(col("_key"))
            .orderBy(
                col("_prior").desc(),
                priority(cfg.sourcePriority()),
                col("id"),
                col("original_id").asc_nulls_first(),
                col("metadata"),
                col("source"));
    Dataset<Row> all = in.select(conversationColumns()).withColumn("_prior", lit(false));
    if (prior != null) {
      all = all.unionByName(prior.withColumn("_prior", lit(true)));
    }
    Dataset<Row> ranked =
        all.withColumn("_key", key.apply(col("messages")))
            .withColumn("_rank", row_number().over(w))
            .withColumn("_keep_id", first(col("id")).over(w))
            .withColumn("_keep_original_id", first(col("original_id")).over(w))
            .persist();
    Map<Boolean, Long> counts = countByKeep(ranked);
    long keptRows = counts.getOrDefault(true, 0L);
    long dropped = counts.getOrDefault(false, 0L);
    Dataset<Row> fresh = ranked.filter(not(col("_prior")));
    Dataset<Row> kept = fresh.filter(col("_rank").equalTo(1)).select(conversationColumns());
    Dataset<Row> rejected =
        fresh
            .filter(col("_rank").gt(1))
            .select(
                SparkSchemas.rejectedConversation(
                    STAGE,
                    reason,
                    functions.concat(lit("same normalized " + name + " as "), col("_keep_id")),
                    col("_keep_id"),
                    col("_keep_original_id"),
                    lit(1.0)));
    StageReport report =
        new StageReport(
            stage,
            keptRows + dropped,
            keptRows,
            dropped == 0 ? Map.of() : Map.of(reason.code(), dropped),
            (System.nanoTime() - start) / 1e9);
    LOG.info(
        "{}: end, {} in, {} kept, {} {}",
        stage,
        keptRows + dropped,
        keptRows,
        dropped,
        reason.code());
    return new Level(kept, rejected, report);
  }

  private static Map<Boolean, Long> countByKeep(Dataset<Row> ranked) {
    Map<Boolean, Long> out = new java.util.HashMap<>();
    Dataset<Row> fresh = ranked.filter(not(col("_prior")));
    for (Row r : fresh.groupBy(col("_rank").equalTo(1).as("keep")).count().collectAsList()) {
      out.put(r.getBoolean(0), r.getLong(1));
    }
    return out;
  }

  private static Column[] conversationColumns() {
    String[] names = SparkSchemas.CONVERSATION.fieldNames();
    Column[] cols = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      cols[i] = col(names[i]);
    }
    return cols;
  }

  private static Column priority(List<String> sources) {
    Column c = null;
    for (int i = 0; i < sources.size(); i++) {
      c =
          c == null
              ? when(col("source").equalTo(sources.get(i)), i)
              : c.when(col("source").equalTo(sources.get(i)), i);
    }
    return c == null ? lit(0) : c.otherwise(sources.size());
  }

  private static UserDefinedFunction conversationKey() {
    return functions.udf(
        (UDF1<Seq<Row>, String>) ms -> DedupKeys.conversationKey(messages(ms)),
        DataTypes.StringType);
  }

  private static UserDefinedFunction promptKey() {
    return functions.udf(
        (UDF1<Seq<Row>, String>) ms -> DedupKeys.promptKey(messages(ms)), DataTypes.StringType);
  }

  private static List<Message> messages(Seq<Row> rows) {
    List<Message> out = new ArrayList<>(rows.size());
    for (Row r : scala.jdk.javaapi.CollectionConverters.asJava(rows)) {
      out.add(new Message(r.getString(0), r.getString(1)));
    }
    return out;
  }
}
