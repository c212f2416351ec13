package io.gristmill.bridge.export;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.gristmill.core.record.Reason;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * RL prompt sets in verl's parquet schema: {@code data_source} (the source), {@code prompt} (the
 * turns before the first assistant turn, as a list of {@code {role, content}}), {@code ability}
 * ({@code metadata.ability}, else {@code math} for math-like sources, else the configured default),
 * {@code reward_model} {@code {style: "rule", ground_truth}} and {@code extra_info} {@code {split,
 * index}}. The ground truth is the first of {@code metadata.ground_truth}, {@code answer}, {@code
 * final_answer}, {@code target}; an answer in GSM8K form ({@code "... #### 72"}) keeps only what
 * follows {@code ####}. Rows are sorted by id and {@code index} counts from 0 in that order. Rows
 * without a prompt or a ground truth are rejected (stage {@value #STAGE}).
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

  /** The ground truth from the metadata, GSM8K answers reduced to what follows {@code ####}. */
  static Column truthColumn() {
    Column rawTruth =
        coalesce(
            get_json_object(col("metadata"), "$.ground_truth"),
            get_json_object(col("metadata"), "$.answer"),
            get_json_object(col("metadata"), "$.final_answer"),
            get_json_object(col("metadata"), "$.target"));
    return when(rawTruth.contains("####"), trim(regexp_extract(rawTruth, "####\\s*(.*)$", 1)))
        .otherwise(rawTruth);
  }

  /** Returns {@code [kept rows, rejected rows]}; writes {@code OUTPUT/SPLIT.parquet}. */
  static long[] write(
      Dataset<Row> data, String output, ExportConfig.VerlOptions o, OutputFiles files) {
    Column prompt = promptColumn();
    Column truth = truthColumn();
    Column ability =
        coalesce(
            get_json_object(col("metadata"), "$.ability"),
            when(lower(col("source")).rlike("math|gsm|aime|amc|olympiad"), lit("math")),
            lit(o.defaultAbility()));
    Dataset<Row> shaped =
        data.select(
            col("id"),
            col("source"),
            col("original_id"),
            col("messages"),
            col("metadata"),
            prompt.as("prompt"),
            truth.as("ground_truth"),
            ability.as("ability"));
    Column reject =
        when(expr("size(prompt) = 0"), lit("no prompt turn before the first assistant turn"))
            .when(
                col("ground_truth").isNull().or(trim(col("ground_truth")).equalTo("")),
                lit("no ground truth in metadata (ground_truth, answer, final_answer, target)"));
    Dataset<Row> checked = shaped.withColumn("reject_detail", reject);
    Dataset<Row> kept = checked.filter(col("reject_detail").isNull());

    Dataset<Row> sorted =
        kept.select("id", "source", "prompt", "ability", "ground_truth").orderBy("id");
    StructType indexed = sorted.schema().add("index", DataTypes.LongType, false);
    JavaRDD<Row> withIndex =
        sorted
            .javaRDD()
            .zipWithIndex()
            .map(
                t -> {
                  Row r = t._1();
                  return RowFactory.create(
                      r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), t._2());
                });
    Dataset<Row> verl =
        data.sparkSession()
            .createDataFrame(withIndex, indexed)
            .select(
                col("source").as("data_source"),
                col("prompt"),
                col("ability"),
                struct(lit("rule").as("style"), col("ground_truth").as("ground_truth"))
                    .as("reward_model"),
                struct(lit(o.split()).as("split"), col("index").as("index")).as("extra_info"));
    String sparkDir = output + "/_spark_" + o.split();
    verl.coalesce(1).write().mode("overwrite").parquet(sparkDir);
    files.moveSinglePart(sparkDir, output + "/" + o.split() + ".parquet");

    long rejected = writeRejected(checked.filter(col("reject_detail").isNotNull()), output);
    return new long[] {verl.count(), rejected};
  }

  static long writeRejected(Dataset<Row> rows, String output) {
    List<Column> c = new ArrayList<>();
    c.add(lit(STAGE).as("stage"));
    c.add(lit(Reason.FILTERED.code()).as("reason"));
    c.add(col("source"));
    c.add(lit(null).cast(DataTypes.StringType).as("file"));
    c.add(lit(0L).as("line"));
    c.add(col("original_id"));
    c.add(col("id"));
    c.add(col("messages"));
    c.add(col("metadata"));
    c.add(lit(null).cast(DataTypes.StringType).as("excerpt"));
    c.add(col("reject_detail").as("detail"));
    c.add(lit(null).cast(DataTypes.StringType).as("duplicate_of"));
    c.add(lit(null).cast(DataTypes.StringType).as("duplicate_of_original_id"));
    c.add(lit(null).cast(DataTypes.DoubleType).as("similarity"));
    Dataset<Row> r = rows.select(c.toArray(Column[]::new));
    r.write().mode("overwrite").parquet(output + "/rejected");
    return r.count();
  }
}
