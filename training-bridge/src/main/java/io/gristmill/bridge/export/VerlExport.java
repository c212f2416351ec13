package io.gristmill.bridge.export;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.gristmill.bridge.ExportReason;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * RL prompt sets in verl's parquet schema: {@code data_source} (the {@code data_source} column,
 * else the source), {@code prompt} (the turns before the first assistant turn, as a list of {@code
 * {role, content}}), {@code ability} ({@code metadata.ability}, else {@code math} for math-like
 * data sources, else the configured default), {@code reward_model} {@code {style: "rule",
 * ground_truth}} and {@code extra_info} {@code {split, index, id, original_id}}. The ground truth
 * is the {@code ground_truth} column (what curate extracts from GSM8K, MATH, ... rows); tables
 * written before that column existed fall back to {@code metadata.ground_truth}, {@code answer},
 * {@code final_answer} or {@code target}; an answer in GSM8K form ({@code "... #### 72"}) keeps
 * only what follows {@code ####}. Rows are sorted by id and {@code index} counts from 0 in that
 * order. Rows without a prompt turn or a ground truth are rejected (stage {@value #STAGE}, reasons
 * {@code no_prompt}, {@code no_ground_truth}) and counted.
 */
final class VerlExport {
  static final String STAGE = "export_verl";

  private VerlExport() {}

  /** The turns before the first assistant turn (all turns when there is none). */
  static Column promptColumn() {
    Column firstAssistant = expr("array_position(transform(messages, m -> m.role), 'assistant')");
    return when(
            firstAssistant.gt(0),
            expr(
                "slice(messages, 1, CAST(array_position(transform("
                    + "messages, m -> m.role), 'assistant') - 1 AS INT))"))
        .otherwise(col("messages"));
  }

  /** The ground truth: the column, else the metadata; GSM8K answers reduced to after ####. */
  static Column truthColumn() {
    Column raw =
        coalesce(
            nullif(trim(col("ground_truth")), lit("")),
            get_json_object(col("metadata"), "$.ground_truth"),
            get_json_object(col("metadata"), "$.answer"),
            get_json_object(col("metadata"), "$.final_answer"),
            get_json_object(col("metadata"), "$.target"));
    Column reduced =
        when(raw.contains("####"), trim(regexp_extract(raw, "####\\s*(.*)$", 1))).otherwise(raw);
    return nullif(trim(reduced), lit(""));
  }

  /** The {@code data_source} column, else the source. */
  static Column dataSourceColumn() {
    return coalesce(nullif(trim(col("data_source")), lit("")), col("source"));
  }

  /** {@code no_prompt} / {@code no_ground_truth} / null, from the shaped columns. */
  static Column rejectReason() {
    return when(expr("size(prompt) = 0"), lit(ExportReason.NO_PROMPT.code()))
        .when(col("ground_truth").isNull(), lit(ExportReason.NO_GROUND_TRUTH.code()));
  }

  static Column rejectDetail() {
    return when(expr("size(prompt) = 0"), lit("no turn before the first assistant turn"))
        .when(
            col("ground_truth").isNull(),
            lit(
                "no ground truth: the ground_truth column is empty (curate keeps it for the"
                    + " prompt-set formats gsm8k, math, math500, verl) and the metadata has no"
                    + " ground_truth, answer, final_answer or target"));
  }

  /** {@code data} (normalized conversations) with prompt, ground truth, ability and a reason. */
  static Dataset<Row> shape(Dataset<Row> data, ExportConfig.VerlOptions o) {
    Column ds = dataSourceColumn();
    Column ability =
        coalesce(
            get_json_object(col("metadata"), "$.ability"),
            when(lower(ds).rlike("math|gsm|aime|amc|olympiad"), lit("math")),
            lit(o.defaultAbility()));
    Dataset<Row> shaped =
        data.withColumn("prompt", promptColumn())
            .withColumn("ground_truth", truthColumn())
            .withColumn("data_source", ds)
            .withColumn("ability", ability);
    return shaped
        .withColumn("reject_reason", rejectReason())
        .withColumn("reject_detail", rejectDetail());
  }

  /** Writes the kept rows of {@code shaped} to {@code path} (one Parquet file); returns rows. */
  static void write(Dataset<Row> kept, String output, String path, String split, OutputFiles f) {
    Dataset<Row> sorted =
        kept.select("id", "original_id", "data_source", "prompt", "ability", "ground_truth")
            .orderBy("id");
    StructType indexed = sorted.schema().add("index", DataTypes.LongType, false);
    JavaRDD<Row> withIndex =
        sorted
            .javaRDD()
            .zipWithIndex()
            .map(
                t -> {
                  Row r = t._1();
                  return RowFactory.create(
                      r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), t._2());
                });
    Dataset<Row> verl =
        kept.sparkSession()
            .createDataFrame(withIndex, indexed)
            .select(
                col("data_source"),
                col("prompt"),
                col("ability"),
                struct(lit("rule").as("style"), col("ground_truth").as("ground_truth"))
                    .as("reward_model"),
                struct(
                        lit(split).as("split"),
                        col("index").as("index"),
                        col("id").as("id"),
                        col("original_id").as("original_id"))
                    .as("extra_info"));
    String sparkDir = output + "/_spark_" + split;
    verl.coalesce(1).write().parquet(sparkDir);
    f.moveSinglePart(sparkDir, path);
  }
}
