package io.gristmill.bridge.export;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;

import io.gristmill.core.spark.DeterministicParquet;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * HuggingFace-style export of conversations: {@code OUTPUT/data/part-NNNNN.jsonl} (or {@code
 * .parquet}) hold the rows ({@code id}, {@code source}, {@code messages} as a list of {@code {role,
 * content}}, {@code metadata} JSON text, {@code data_source}, {@code ground_truth}), placed by a
 * hash of the id and sorted by id, so the same rows give the same files; {@code OUTPUT/README.md}
 * is a dataset card with the {@code configs} front matter that {@code
 * datasets.load_dataset(OUTPUT)} reads, and counts per source and per category ({@code
 * metadata.category} or {@code metadata.task_category}, else {@code unlabeled}).
 */
final class HfExport {
  static final String STAGE = "export_hf";
  static final List<String> COLUMNS =
      List.of("id", "source", "messages", "metadata", "data_source", "ground_truth");

  private HfExport() {}

  /** The exported columns of normalized conversations. */
  static Dataset<Row> rows(Dataset<Row> data) {
    return data.select(COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  /** Writes data and card; returns {@code [rows, files, bytes]}. */
  static long[] write(
      Dataset<Row> data,
      String output,
      boolean jsonl,
      String split,
      int fileCount,
      OutputFiles files) {
    Dataset<Row> rows = rows(data);
    String dataDir = output + "/data";
    String ext = jsonl ? "jsonl" : "parquet";
    if (jsonl) {
      rows.repartition(fileCount, col("id"))
          .sortWithinPartitions("id")
          .write()
          .option("compression", "none")
          .json(dataDir);
      files.renameParts(dataDir, ".json", ext);
    } else {
      DeterministicParquet.write(rows, dataDir, fileCount, "id", "id");
    }
    files.clean(dataDir);
    long[] written = files.dataFiles(dataDir, "." + ext);
    Dataset<Row> labeled =
        data.withColumn(
            "category",
            coalesce(
                get_json_object(col("metadata"), "$.category"),
                get_json_object(col("metadata"), "$.task_category"),
                lit("unlabeled")));
    List<Row> bySource = labeled.groupBy("source").count().orderBy("source").collectAsList();
    List<Row> byCategory = labeled.groupBy("category").count().orderBy("category").collectAsList();
    long total = bySource.stream().mapToLong(r -> r.getLong(1)).sum();
    files.writeText(
        output + "/README.md",
        card(split, "data/*." + ext, jsonl ? "json" : "parquet", total, bySource, byCategory));
    return new long[] {total, written[0], written[1]};
  }

  static String card(
      String split,
      String glob,
      String format,
      long total,
      List<Row> bySource,
      List<Row> byCategory) {
    StringBuilder sb = new StringBuilder();
    sb.append("---\nconfigs:\n- config_name: default\n  data_files:\n")
        .append("  - split: ")
        .append(split)
        .append('\n')
        .append("    path: \"")
        .append(glob)
        .append("\"\n")
        .append("task_categories:\n- text-generation\n---\n\n")
        .append("# Gristmill curated SFT mixture\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "%d conversations in `messages` format (%s), one row per conversation: `id` (stable"
                    + " content hash), `source`, `messages` (list of `{role, content}`), `metadata`"
                    + " (the input's other fields as JSON text), `data_source` and `ground_truth`"
                    + " (the reference answer of prompt-set rows, else null).%n%n",
                total,
                format))
        .append("## Rows per source\n\n| source | rows |\n|---|---:|\n");
    for (Row r : bySource) {
      sb.append("| ").append(r.getString(0)).append(" | ").append(r.getLong(1)).append(" |\n");
    }
    sb.append("\n## Rows per category\n\n| category | rows |\n|---|---:|\n");
    for (Row r : byCategory) {
      sb.append("| ").append(r.getString(0)).append(" | ").append(r.getLong(1)).append(" |\n");
    }
    return sb.toString();
  }
}
