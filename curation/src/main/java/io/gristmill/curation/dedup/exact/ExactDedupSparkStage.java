package io.gristmill.curation.dedup.exact;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.gristmill.core.record.Message;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.stage.StageReport;
import io.gristmill.curation.dedup.DedupReason;
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
import org.apache.spark.sql.types.StructField;
import scala.collection.immutable.Seq;

/**
 * Exact deduplication in Spark, as two {@link Stage}s: {@code exact_dedup} (whole normalized
 * conversation) and {@code prompt_dedup} (normalized first user turn), the second running on what
 * the first kept. Keys come from {@link DedupKeys}; within a key, rows are ranked by source
 * priority (listed sources first, in list order), then id, original id and metadata, so the kept
 * row does not depend on partitioning. A window over the key gives every row its keeper; no data is
 * collected to the driver, only the counts. With a prior snapshot in the {@link StageContext}, its
 * kept rows take part: a prior row always wins its key, is never output again, and is what {@code
 * duplicate_of} names when a new row repeats it.
 */
public final class ExactDedupSparkStage implements Stage {
  /** The conversation-level stage. */
  public static final String STAGE = "exact_dedup";

  /** The prompt-level stage. */
  public static final String PROMPT_STAGE = "prompt_dedup";

  private static final Logger LOG = LogManager.getLogger(ExactDedupSparkStage.class);

  private final boolean prompt;
  private final ExactDedupConfig config;

  private ExactDedupSparkStage(boolean prompt, ExactDedupConfig config) {
    this.prompt = prompt;
    this.config = config;
  }

  /** The {@code exact_dedup} stage (whole conversations). */
  public static ExactDedupSparkStage conversations(ExactDedupConfig config) {
    return new ExactDedupSparkStage(false, config);
  }

  /** The {@code prompt_dedup} stage (first user turns). */
  public static ExactDedupSparkStage prompts(ExactDedupConfig config) {
    return new ExactDedupSparkStage(true, config);
  }

  /** The stages {@code config} switches on, in order (possibly none). */
  public static List<Stage> stages(ExactDedupConfig config) {
    List<Stage> out = new ArrayList<>();
    if (config.conversationLevel()) {
      out.add(conversations(config));
    }
    if (config.promptLevel()) {
      out.add(prompts(config));
    }
    return List.copyOf(out);
  }

  @Override
  public String name() {
    return prompt ? PROMPT_STAGE : STAGE;
  }

  @Override
  public StageOutput apply(Dataset<Row> input, StageContext context) {
    Dataset<Row> prior = context.hasPrior() ? context.prior().data() : null;
    return level(input, prior, prompt, config);
  }

  public static DedupResult run(Dataset<Row> conversations, ExactDedupConfig config) {
    return run(conversations, config, null);
  }

  /**
   * Both switched-on stages in a row, against {@code prior} (rows an earlier snapshot kept,
   * CONVERSATION columns; or null): for callers outside a pipeline and for tests.
   */
  public static DedupResult run(
      Dataset<Row> conversations, ExactDedupConfig config, Dataset<Row> prior) {
    Dataset<Row> kept = conversations;
    Dataset<Row> rejected = null;
    List<StageReport> reports = new ArrayList<>();
    for (boolean p : new boolean[] {false, true}) {
      if (p ? !config.promptLevel() : !config.conversationLevel()) {
        continue;
      }
      StageOutput o = level(kept, prior, p, config);
      kept = o.kept();
      rejected = rejected == null ? o.rejected() : rejected.unionByName(o.rejected());
      reports.add(o.report());
    }
    if (rejected == null) {
      rejected = conversations.sparkSession().createDataFrame(List.of(), SparkSchemas.REJECTED);
    }
    return new DedupResult(kept, rejected, List.copyOf(reports));
  }

  private static StageOutput level(
      Dataset<Row> in, Dataset<Row> prior, boolean prompt, ExactDedupConfig cfg) {
    long start = System.nanoTime();
    String stage = prompt ? PROMPT_STAGE : STAGE;
    DedupReason reason = prompt ? DedupReason.PROMPT_DUPLICATE : DedupReason.EXACT_DUPLICATE;
    UserDefinedFunction key = prompt ? promptKey() : conversationKey();
    String what = prompt ? "prompt" : "conversation";
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
    Dataset<Row> all = conversationColumns(in).withColumn("_prior", lit(false));
    if (prior != null) {
      all = all.unionByName(conversationColumns(prior).withColumn("_prior", lit(true)));
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
    Dataset<Row> kept = conversationColumns(fresh.filter(col("_rank").equalTo(1)));
    // The rejected row is the duplicate itself (its own id, file and line); duplicate_of names
    // the row kept.
    Dataset<Row> rejected =
        RejectedRows.of(
            fresh.filter(col("_rank").gt(1)),
            stage,
            reason,
            Map.of(
                "detail",
                functions.concat(lit("same normalized " + what + " as "), col("_keep_id")),
                "duplicate_of",
                col("_keep_id"),
                "duplicate_of_original_id",
                col("_keep_original_id"),
                "similarity",
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
    return StageOutput.of(kept, rejected, report);
  }

  private static Map<Boolean, Long> countByKeep(Dataset<Row> ranked) {
    Map<Boolean, Long> out = new java.util.HashMap<>();
    Dataset<Row> fresh = ranked.filter(not(col("_prior")));
    for (Row r : fresh.groupBy(col("_rank").equalTo(1).as("keep")).count().collectAsList()) {
      out.put(r.getBoolean(0), r.getLong(1));
    }
    return out;
  }

  /**
   * {@code rows} with exactly the CONVERSATION columns, in order; a column missing (a snapshot
   * written before it existed) is null.
   */
  static Dataset<Row> conversationColumns(Dataset<Row> rows) {
    java.util.Set<String> present = new java.util.HashSet<>(List.of(rows.columns()));
    StructField[] fields = SparkSchemas.CONVERSATION.fields();
    Column[] cols = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String n = fields[i].name();
      cols[i] = present.contains(n) ? col(n) : lit(null).cast(fields[i].dataType()).as(n);
    }
    return rows.select(cols);
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
