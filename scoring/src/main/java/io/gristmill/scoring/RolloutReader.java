package io.gristmill.scoring;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.gristmill.core.Errors;
import io.gristmill.core.record.Rejection;
import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.scoring.input.GsmSolutionsAdapter;
import io.gristmill.scoring.input.ImportedRollout;
import io.gristmill.scoring.input.JsonRolloutParser;
import io.gristmill.scoring.input.ParseResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Reads the configured input into rows of {@link ScoringSchemas#PARSED}: every rollout, plus a row
 * with {@code reject_reason} set for each input line that could not be parsed. A rollout snapshot
 * (dataset folder, snapshot or its data folder, whatever {@code format} says) carries its own
 * {@code ground_truth}, {@code data_source}, token ids and logprobs; its {@code model_id} becomes
 * {@code generator}. Rows without a sample index are numbered by line order within their prompt;
 * rows without a ground truth take it from {@code ground_truth_path} when given.
 */
final class RolloutReader {
  private RolloutReader() {}

  /**
   * @param ref the resolved input, or null for a glob of JSON-lines files
   */
  static Dataset<Row> read(SparkSession spark, ScoreInput in, SnapshotRef ref) {
    Dataset<Row> parsed;
    if (ref != null && ref.isSnapshot()) {
      parsed = readParquet(spark, ref.dataPath().toString(), in);
    } else {
      parsed =
          switch (in.format()) {
            case "jsonl", "gsm8k_example_solutions" -> readLines(spark, in);
            case "parquet", "rollout_snapshot" -> readParquet(spark, in.path(), in);
            default -> throw new IllegalStateException("unknown format " + in.format());
          };
    }
    parsed = numberSamples(parsed);
    if (in.groundTruthPath() != null) {
      parsed = joinGroundTruth(spark, parsed, in.groundTruthPath());
    }
    return parsed;
  }

  private static Dataset<Row> readLines(SparkSession spark, ScoreInput in) {
    JavaRDD<String> lines = spark.sparkContext().textFile(in.path(), 2).toJavaRDD();
    boolean gsm = in.format().equals("gsm8k_example_solutions");
    String source = gsm && in.dataSource().equals("default") ? "gsm8k" : in.dataSource();
    String file = in.path();
    JavaRDD<Row> rows =
        lines
            .zipWithIndex()
            .flatMap(
                (Tuple2<String, Long> t) -> {
                  String line = t._1();
                  long lineNo = t._2() + 1;
                  List<Row> out = new ArrayList<>();
                  if (line.isBlank()) {
                    return out.iterator();
                  }
                  ParseResult r =
                      gsm
                          ? GsmSolutionsAdapter.parse(line, source)
                          : JsonRolloutParser.parse(line, source);
                  if (r.isRejected()) {
                    out.add(rejectedRow(source, file, lineNo, r.reason(), r.detail(), line));
                  } else {
                    for (ImportedRollout x : r.rollouts()) {
                      out.add(toRow(x, file, lineNo));
                    }
                  }
                  return out.iterator();
                });
    return spark.createDataFrame(rows, ScoringSchemas.PARSED);
  }

  static Row toRow(ImportedRollout x, String file, long line) {
    return RowFactory.create(
        x.promptId(),
        x.sampleIndex(),
        x.dataSource(),
        x.prompt(),
        x.response(),
        x.groundTruth(),
        x.promptTokenIds() == null ? null : seq(Arrays.stream(x.promptTokenIds()).boxed().toList()),
        x.responseTokenIds() == null
            ? null
            : seq(Arrays.stream(x.responseTokenIds()).boxed().toList()),
        x.responseLogprobs() == null ? null : seq(floats(x.responseLogprobs())),
        x.finishReason(),
        x.label(),
        x.generator(),
        x.step(),
        file,
        line,
        null,
        null,
        null);
  }

  private static List<Float> floats(double[] a) {
    List<Float> out = new ArrayList<>(a.length);
    for (double d : a) {
      out.add((float) d);
    }
    return out;
  }

  private static Row rejectedRow(
      String source, String file, long line, ScoringReason reason, String detail, String raw) {
    StructType s = ScoringSchemas.PARSED;
    Object[] v = new Object[s.size()];
    v[s.fieldIndex("prompt_id")] = "";
    v[s.fieldIndex("data_source")] = source;
    v[s.fieldIndex("response")] = "";
    v[s.fieldIndex("file")] = file;
    v[s.fieldIndex("line")] = line;
    v[s.fieldIndex("reject_reason")] = reason.code();
    v[s.fieldIndex("reject_detail")] = detail;
    v[s.fieldIndex("excerpt")] = Rejection.excerpt(raw);
    return RowFactory.create(v);
  }

  private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return CollectionConverters.asScala(list).toList();
  }

  private static Dataset<Row> readParquet(SparkSession spark, String path, ScoreInput in) {
    Dataset<Row> df = spark.read().parquet(path);
    List<String> present = Arrays.asList(df.columns());
    String responseCol = present.contains("response") ? "response" : "text";
    for (String required : List.of("prompt_id", responseCol)) {
      if (!present.contains(required)) {
        throw Errors.scoringInputMissingColumn(path, required, present);
      }
    }
    List<Column> cols = new ArrayList<>();
    for (StructField f : ScoringSchemas.ROLLOUT.fields()) {
      String name = f.name().equals("response") ? responseCol : f.name();
      Column c = present.contains(name) ? col(name) : lit(null);
      if (f.name().equals("data_source")) {
        c = coalesce(c.cast("string"), lit(in.dataSource()));
      }
      if (f.name().equals("generator") && present.contains("model_id")) {
        c = coalesce(c.cast("string"), col("model_id").cast("string"));
      }
      cols.add(c.cast(f.dataType()).as(f.name()));
    }
    String missing = ScoringReason.MISSING_FIELD.code();
    Column reason =
        when(col("prompt_id").isNull(), lit(missing))
            .when(col("response").isNull(), lit(missing))
            .when(col("sample_index").isNull(), lit(missing));
    Column detail =
        when(col("prompt_id").isNull(), lit("missing field 'prompt_id'"))
            .when(col("response").isNull(), lit("missing field '" + responseCol + "'"))
            .when(col("sample_index").isNull(), lit("missing field 'sample_index'"));
    return df.select(cols.toArray(new Column[0]))
        .withColumn("file", lit(path))
        .withColumn("line", lit(0L))
        .withColumn("reject_reason", reason)
        .withColumn("reject_detail", detail)
        .withColumn("excerpt", lit(null).cast("string"))
        .withColumn("prompt_id", coalesce(col("prompt_id"), lit("")))
        .withColumn("response", coalesce(col("response"), lit("")));
  }

  /** sample_index = its own value, else the 0-based position by line within the prompt. */
  private static Dataset<Row> numberSamples(Dataset<Row> df) {
    var w = Window.partitionBy("prompt_id").orderBy(col("line"), col("response"));
    return df.withColumn(
        "sample_index",
        coalesce(
            col("sample_index"),
            org.apache.spark.sql.functions.row_number().over(w).minus(1).cast("int")));
  }

  /**
   * Fills missing ground truths from a table of {prompt_id, ground_truth[, prompt]}: JSON lines,
   * Parquet, or a curated snapshot/dataset folder (its {@code id} is the prompt id).
   */
  private static Dataset<Row> joinGroundTruth(SparkSession spark, Dataset<Row> df, String path) {
    SnapshotRef ref = SnapshotRef.resolve(path, spark.sparkContext().hadoopConfiguration());
    String data = ref.dataPath().toString();
    Dataset<Row> gt =
        ref.isSnapshot() || data.endsWith(".parquet") || !data.contains(".json")
            ? spark.read().parquet(data)
            : spark.read().json(data);
    if (!Arrays.asList(gt.columns()).contains("prompt_id")
        && Arrays.asList(gt.columns()).contains("id")) {
      gt = gt.withColumnRenamed("id", "prompt_id");
    }
    if (Arrays.asList(gt.columns()).contains("messages")
        && !Arrays.asList(gt.columns()).contains("prompt")) {
      gt =
          gt.withColumn(
              "prompt",
              org.apache.spark.sql.functions.expr(
                  "try_element_at(filter(messages, m -> m.role = 'user'), 1).content"));
    }
    List<String> present = Arrays.asList(gt.columns());
    for (String required : List.of("prompt_id", "ground_truth")) {
      if (!present.contains(required)) {
        throw Errors.scoringInputMissingColumn(path, required, present);
      }
    }
    Column prompt = present.contains("prompt") ? col("prompt").cast("string") : lit(null);
    Dataset<Row> table =
        gt.select(
                col("prompt_id").cast("string").as("gt_prompt_id"),
                col("ground_truth").cast("string").as("gt_ground_truth"),
                prompt.cast("string").as("gt_prompt"))
            .groupBy("gt_prompt_id")
            .agg(
                org.apache.spark.sql.functions.min("gt_ground_truth").as("gt_ground_truth"),
                org.apache.spark.sql.functions.min("gt_prompt").as("gt_prompt"));
    Dataset<Row> joined =
        df.join(table, df.col("prompt_id").equalTo(table.col("gt_prompt_id")), "left");
    return joined
        .withColumn("ground_truth", coalesce(col("ground_truth"), col("gt_ground_truth")))
        .withColumn("prompt", coalesce(col("prompt"), col("gt_prompt")))
        .select(
            Arrays.stream(ScoringSchemas.PARSED.fieldNames())
                .map(c -> col(c))
                .toArray(Column[]::new));
  }
}
