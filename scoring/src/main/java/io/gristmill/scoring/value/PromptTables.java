package io.gristmill.scoring.value;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import io.gristmill.core.Errors;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.scoring.input.GsmSolutionsAdapter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a {@link PromptTable} into the value model's columns: {@code vm_id}, {@code vm_text},
 * {@code vm_label} (null when no label), {@code samples} and {@code correct} (null unless the table
 * has them), the metadata columns as strings, and {@code vm_row}: the row as a conversation (the
 * CONVERSATION columns: a conversation table's own row, or a plain table's prompt as one user
 * turn), which {@code select} writes out. A score snapshot (or dataset folder) is read through its
 * {@code difficulty/} table; a curate snapshot, or a Parquet table with {@code id} and {@code
 * messages}, as conversations (id = {@code id}, text = first user turn).
 */
final class PromptTables {
  static final String ID = "vm_id";
  static final String TEXT = "vm_text";
  static final String LABEL = "vm_label";
  static final String ROW = "vm_row";

  private static final String FIRST_USER_TURN =
      "try_element_at(filter(messages, m -> m.role = 'user'), 1).content";

  private PromptTables() {}

  /** The rows with prompt text (and a label, when {@code needLabel}). */
  static Dataset<Row> read(SparkSession spark, PromptTable t, boolean needLabel) {
    Dataset<Row> out = readAll(spark, t, needLabel).where(col(TEXT).isNotNull());
    return needLabel ? out.where(col(LABEL).isNotNull()) : out;
  }

  /** Every row, those without text included (select rejects them). */
  static Dataset<Row> readAll(SparkSession spark, PromptTable t, boolean needLabel) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    SnapshotRef ref = isGlob(t.path()) ? null : SnapshotRef.resolve(t.path(), conf);
    DatasetKind kind = ref == null ? null : ref.kind();
    Dataset<Row> raw;
    if (kind == DatasetKind.SCORED_ROLLOUT || t.format().equals("score_snapshot")) {
      raw = spark.read().parquet(ref == null ? t.path() : difficultyDir(ref, conf));
    } else if (kind != null || t.format().equals("conversations")) {
      raw = spark.read().parquet(ref == null ? t.path() : ref.dataPath().toString());
    } else {
      raw =
          switch (t.format()) {
            case "jsonl" -> spark.read().json(t.path());
            case "parquet" -> spark.read().parquet(t.path());
            case "gsm8k_example_solutions" -> gsm(spark, t.path());
            default -> throw new IllegalStateException("unknown format " + t.format());
          };
    }
    List<String> present = Arrays.asList(raw.columns());
    boolean conversations = present.contains("id") && present.contains("messages");
    String textColumn = t.textColumn();
    String idColumn = t.idColumn();
    if (conversations && !present.contains(textColumn)) {
      raw = raw.withColumn(textColumn, expr(FIRST_USER_TURN));
      present = Arrays.asList(raw.columns());
    }
    if (conversations && !present.contains(idColumn)) {
      idColumn = "id";
    }
    if (!present.contains(textColumn)) {
      throw Errors.scoringInputMissingColumn(t.path(), textColumn, present);
    }
    for (String m : t.metadataColumns()) {
      if (!present.contains(m)) {
        throw Errors.scoringInputMissingColumn(t.path(), m, present);
      }
    }
    List<Column> cols = new ArrayList<>();
    Column text = col(textColumn).cast("string");
    Column id =
        present.contains(idColumn) ? col(idColumn).cast("string") : sha2(text, 256).substr(1, 32);
    cols.add(id.as(ID));
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
    cols.add(
        (conversations ? conversationRow(present, t.path()) : promptRow(raw, id, text, t.path()))
            .as(ROW));
    return raw.select(cols.toArray(new Column[0]));
  }

  /** A conversation table's row with the CONVERSATION columns and types. */
  private static Column conversationRow(List<String> present, String path) {
    return struct(
        col("id").cast("string").as("id"),
        coalesce(optional(present, "source"), lit(path)).as("source"),
        io.gristmill.core.spark.SparkSchemas.messagesNotNull().as("messages"),
        optional(present, "original_id").as("original_id"),
        coalesce(optional(present, "metadata"), lit("{}")).as("metadata"),
        optional(present, "data_source").as("data_source"),
        optional(present, "ground_truth").as("ground_truth"),
        optional(present, "file").as("file"),
        (present.contains("line") ? col("line") : lit(null)).cast("long").as("line"));
  }

  /**
   * A plain table's row as a conversation: its prompt as the one user turn, its other columns as
   * JSON metadata, its {@code data_source} and {@code ground_truth} when it has them.
   */
  private static Column promptRow(Dataset<Row> raw, Column id, Column text, String path) {
    List<String> present = Arrays.asList(raw.columns());
    Column everything =
        present.isEmpty()
            ? lit("{}")
            : to_json(struct(present.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new)));
    return struct(
        id.as("id"),
        lit(path).as("source"),
        array(struct(lit("user").as("role"), coalesce(text, lit("")).as("content")))
            .cast(SparkSchemas.MESSAGES)
            .as("messages"),
        (present.contains("id") ? col("id") : lit(null)).cast("string").as("original_id"),
        coalesce(everything, lit("{}")).as("metadata"),
        optional(present, "data_source").as("data_source"),
        optional(present, "ground_truth").as("ground_truth"),
        lit(path).as("file"),
        lit(null).cast("long").as("line"));
  }

  private static Column optional(List<String> present, String name) {
    return (present.contains(name) ? col(name) : lit(null)).cast("string");
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
        col("ground_truth").cast("string").as("ground_truth"),
        lit(GsmSolutionsAdapter.MODELS.size()).as("samples"),
        correct.as("correct"),
        correct.divide(GsmSolutionsAdapter.MODELS.size()).as("pass_rate"));
  }

  /**
   * A score snapshot's {@code difficulty/} table; a plain folder holding a {@code difficulty/}
   * folder gives that, and any other plain folder is taken as the difficulty table itself.
   */
  private static String difficultyDir(SnapshotRef ref, Configuration conf) {
    Path out = ref.output("difficulty");
    if (ref.isSnapshot()) {
      return out.toString();
    }
    try {
      return out.getFileSystem(conf).exists(out) ? out.toString() : ref.dataPath().toString();
    } catch (IOException e) {
      throw Errors.inputUnreadable("train", out.toString(), e);
    }
  }

  static boolean isGlob(String path) {
    return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }
}
