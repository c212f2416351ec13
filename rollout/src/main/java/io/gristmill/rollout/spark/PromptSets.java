package io.gristmill.rollout.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sha2;

import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.SnapshotStore;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a prompt set as ({@code prompt_id}, {@code prompt}): a dataset folder with {@code LATEST}
 * (its latest snapshot's data), a Parquet folder of core CONVERSATION rows (prompt = first user
 * turn, id = {@code id}), or JSON lines with a prompt field and an id field (see {@link
 * RolloutConfig}).
 */
final class PromptSets {
  private PromptSets() {}

  static Dataset<Row> read(SparkSession spark, RolloutConfig cfg) {
    String path = resolve(spark, cfg.prompts());
    boolean jsonl =
        cfg.promptFormat().equals("jsonl")
            || (cfg.promptFormat().equals("auto")
                && (path.endsWith(".jsonl") || path.endsWith(".json") || path.endsWith(".gz")));
    if (jsonl) {
      Dataset<Row> raw = spark.read().json(path);
      List<String> fields = List.of(raw.columns());
      if (!fields.contains(cfg.promptField())) {
        throw Errors.inputUnreadable(
            "prompts",
            path,
            new IllegalArgumentException(
                "no field '" + cfg.promptField() + "' (set prompt_field); fields: " + fields));
      }
      Column prompt = col(cfg.promptField()).cast("string");
      Column id =
          fields.contains(cfg.idField()) ? col(cfg.idField()).cast("string") : sha2(prompt, 256);
      return raw.select(id.as("prompt_id"), prompt.as("prompt"));
    }
    return spark
        .read()
        .parquet(path)
        .select(
            col("id").as("prompt_id"),
            expr("try_element_at(filter(messages, m -> m.role = 'user'), 1).content").as("prompt"));
  }

  /** A dataset folder with a LATEST pointer becomes its latest snapshot's data folder. */
  private static String resolve(SparkSession spark, String path) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw Errors.inputNotFound("prompts", path);
      }
      if (fs.exists(new Path(p, SnapshotStore.LATEST))) {
        SnapshotStore store = new SnapshotStore(p, spark.sparkContext().hadoopConfiguration());
        String id = store.latest().orElseThrow(() -> Errors.inputNotFound("prompts", path));
        return store.dataDir(id).toString();
      }
      return path;
    } catch (IOException e) {
      throw Errors.inputUnreadable("prompts", path, e);
    }
  }
}
