package io.gristmill.scoring.value;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;

import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.scoring.input.GsmSolutionsAdapter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a {@link PromptTable} into the value model's columns: {@code vm_id}, {@code vm_text},
 * {@code vm_label} (null when no label), {@code samples} and {@code correct} (null unless the table
 * has them), and the metadata columns as strings. Rows without text are dropped here and counted by
 * the caller.
 */
final class PromptTables {
  static final String ID = "vm_id";
  static final String TEXT = "vm_text";
  static final String LABEL = "vm_label";

  private PromptTables() {}

  static Dataset<Row> read(SparkSession spark, PromptTable t, boolean needLabel) {
    Dataset<Row> raw =
        switch (t.format()) {
          case "jsonl" -> spark.read().json(t.path());
          case "parquet" -> spark.read().parquet(t.path());
          case "score_snapshot" -> spark.read().parquet(difficultyDir(spark, t.path()));
          case "gsm8k_example_solutions" -> gsm(spark, t.path());
          default -> throw new IllegalStateException("unknown format " + t.format());
        };
    List<String> present = Arrays.asList(raw.columns());
    if (!present.contains(t.textColumn())) {
      throw Errors.scoringInputMissingColumn(t.path(), t.textColumn(), present);
    }
    for (String m : t.metadataColumns()) {
      if (!present.contains(m)) {
        throw Errors.scoringInputMissingColumn(t.path(), m, present);
      }
    }
    List<Column> cols = new ArrayList<>();
    Column text = col(t.textColumn()).cast("string");
    cols.add(
        present.contains(t.idColumn())
            ? col(t.idColumn()).cast("string").as(ID)
            : sha2(text, 256).substr(1, 32).as(ID));
    cols.add(text.as(TEXT));
    cols.add(
        needLabel
            ? expr(t.labelExpr()).cast("double").as(LABEL)
            : lit(null).cast("double").as(LABEL));
    cols.add((present.contains("samples") ? col("samples") : lit(null)).cast("int").as("samples"));
    cols.add((present.contains("correct") ? col("correct") : lit(null)).cast("int").as("correct"));
    for (String m : t.metadataColumns()) {
      cols.add(col(m).cast("string").as(m));
    }
    Dataset<Row> out = raw.select(cols.toArray(new Column[0])).where(col(TEXT).isNotNull());
    return needLabel ? out.where(col(LABEL).isNotNull()) : out;
  }

  /** GSM8K example solutions as prompts with a pass rate over the 4 labelled solutions. */
  private static Dataset<Row> gsm(SparkSession spark, String path) {
    Dataset<Row> raw = spark.read().json(path);
    Column correct = lit(0);
    for (String model : GsmSolutionsAdapter.MODELS) {
      correct = correct.plus(col("`" + model + "`.is_correct").cast("int"));
    }
    spark
        .udf()
        .register(
            "gristmill_gsm_prompt_id",
            (org.apache.spark.sql.api.java.UDF1<String, String>) GsmSolutionsAdapter::promptId,
            org.apache.spark.sql.types.DataTypes.StringType);
    return raw.select(
        expr("gristmill_gsm_prompt_id(question)").as("prompt_id"),
        col("question").as("prompt"),
        lit("gsm8k").as("data_source"),
        lit(GsmSolutionsAdapter.MODELS.size()).as("samples"),
        correct.as("correct"),
        correct.divide(GsmSolutionsAdapter.MODELS.size()).as("pass_rate"));
  }

  private static String difficultyDir(SparkSession spark, String datasetDir) {
    SnapshotStore store =
        new SnapshotStore(
            new org.apache.hadoop.fs.Path(datasetDir), spark.sparkContext().hadoopConfiguration());
    String id =
        store
            .latest()
            .orElseThrow(
                () -> Errors.snapshotNotFound(datasetDir, "it has no LATEST complete snapshot"));
    return store.outputDir(id, "difficulty").toString();
  }
}
