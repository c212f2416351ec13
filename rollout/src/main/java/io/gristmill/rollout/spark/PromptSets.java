package io.gristmill.rollout.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import io.gristmill.core.Errors;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.text.StableIds;
import io.gristmill.core.text.TextNormalizer;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Reads a prompt set into {@link #COLUMNS}: {@code prompt_id}, {@code prompt}, {@code data_source},
 * {@code ground_truth} (what the rollout carries into every sample), and the lineage a rejected
 * prompt keeps ({@code source}, {@code original_id}, {@code messages}, {@code metadata}, {@code
 * file}, {@code line}).
 *
 * <p>Conversation rows (a curate or value-model select snapshot, or a Parquet table with {@code id}
 * and {@code messages}): prompt_id is the row's {@code id}, the prompt its first user turn. Other
 * plain tables (JSON lines, or Parquet without messages): the prompt is {@code prompt_field}, the
 * id {@code id_field}, else {@code prompt_id}, else the content hash of the normalized prompt;
 * {@code data_source} and {@code ground_truth} columns are carried when present.
 */
final class PromptSets {
  static final List<String> COLUMNS =
      List.of(
          "prompt_id",
          "prompt",
          "data_source",
          "ground_truth",
          "source",
          "original_id",
          "messages",
          "metadata",
          "file",
          "line");

  private static final UserDefinedFunction CONTENT_ID =
      udf(
          (UDF1<String, String>)
              p -> p == null ? null : StableIds.contentHash(TextNormalizer.normalize(p)),
          DataTypes.StringType);

  private PromptSets() {}

  static Dataset<Row> read(SparkSession spark, RolloutConfig cfg, SnapshotRef ref) {
    String path = ref.dataPath().toString();
    if (ref.isSnapshot()) {
      return conversations(spark.read().parquet(path), ref);
    }
    boolean jsonl =
        cfg.promptFormat().equals("jsonl")
            || (cfg.promptFormat().equals("auto")
                && (path.endsWith(".jsonl") || path.endsWith(".json") || path.endsWith(".gz")));
    Dataset<Row> raw = jsonl ? spark.read().json(path) : spark.read().parquet(path);
    List<String> fields = List.of(raw.columns());
    boolean conversationShaped = fields.contains("id") && fields.contains("messages");
    if (cfg.promptFormat().equals("conversations") || (!jsonl && conversationShaped)) {
      if (!conversationShaped) {
        throw Errors.inputLacksColumns(
            "rollout",
            ref.given(),
            DatasetKind.CONVERSATION.id(),
            "id, messages",
            DatasetKind.CONVERSATION.producedBy());
      }
      return conversations(raw, ref);
    }
    if (!fields.contains(cfg.promptField())) {
      throw Errors.inputLacksColumns(
          "rollout",
          ref.given(),
          DatasetKind.PROMPT_SET.id(),
          "id and messages, or '"
              + cfg.promptField()
              + "' (set prompt_field; it has: "
              + String.join(", ", fields)
              + ")",
          DatasetKind.PROMPT_SET.producedBy());
    }
    Column prompt = col(cfg.promptField()).cast("string");
    Column given =
        fields.contains(cfg.idField())
            ? col(cfg.idField()).cast("string")
            : fields.contains("prompt_id") ? col("prompt_id").cast("string") : lit(null);
    Column id = coalesce(given.cast("string"), CONTENT_ID.apply(prompt));
    return raw.select(
        id.as("prompt_id"),
        prompt.as("prompt"),
        optional(fields, "data_source").as("data_source"),
        optional(fields, "ground_truth").as("ground_truth"),
        lit(ref.given()).as("source"),
        (fields.contains(cfg.idField()) ? col(cfg.idField()).cast("string") : lit(null))
            .cast("string")
            .as("original_id"),
        lit(null).cast(SparkSchemas.MESSAGES).as("messages"),
        lit(null).cast("string").as("metadata"),
        lit(ref.given()).as("file"),
        lit(null).cast("long").as("line"));
  }

  /** Conversation rows: the id, the first user turn, and the row's own lineage. */
  private static Dataset<Row> conversations(Dataset<Row> rows, SnapshotRef ref) {
    List<String> fields = List.of(rows.columns());
    return rows.select(
        col("id").cast("string").as("prompt_id"),
        expr("try_element_at(filter(messages, m -> m.role = 'user'), 1).content").as("prompt"),
        optional(fields, "data_source").as("data_source"),
        optional(fields, "ground_truth").as("ground_truth"),
        (fields.contains("source") ? col("source").cast("string") : lit(ref.given())).as("source"),
        optional(fields, "original_id").as("original_id"),
        io.gristmill.core.spark.SparkSchemas.messagesNotNull().as("messages"),
        optional(fields, "metadata").as("metadata"),
        optional(fields, "file").as("file"),
        (fields.contains("line") ? col("line").cast("long") : lit(null).cast("long")).as("line"));
  }

  private static Column optional(List<String> fields, String name) {
    return (fields.contains(name) ? col(name) : lit(null)).cast("string");
  }
}
