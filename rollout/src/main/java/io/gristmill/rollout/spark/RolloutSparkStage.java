package io.gristmill.rollout.spark;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The rollout stage: prompts in ({@code prompt_id}, {@code prompt}, {@code data_source}, {@code
 * ground_truth}), rollout rows out ({@link RolloutRows#SCHEMA}), generated inside the executors by
 * {@code mapPartitions} with one model per executor JVM. Only the config (and the progress
 * accumulator) travels from the driver.
 */
public final class RolloutSparkStage {
  private RolloutSparkStage() {}

  /**
   * Lazily rolls out {@code prompts}. The result holds {@code num_samples} rows per prompt, one row
   * per prompt that could not be rolled out (see {@link #rejected}) and one device marker per
   * non-empty partition (see {@link #devices}).
   *
   * @param promptsDone counts finished prompts for progress, or null
   */
  public static Dataset<Row> run(
      SparkSession spark, Dataset<Row> prompts, RolloutConfig cfg, LongAccumulator promptsDone) {
    Dataset<Row> in =
        prompts.select(
            col("prompt_id").cast("string"),
            col("prompt").cast("string"),
            col("data_source").cast("string"),
            col("ground_truth").cast("string"));
    if (cfg.partitions() > 0) {
      in = in.repartition(cfg.partitions(), col("prompt_id"));
    }
    return in.mapPartitions(
        new RolloutPartition(cfg, promptsDone), Encoders.row(RolloutRows.SCHEMA));
  }

  /** The generated samples of a {@link #run} result. */
  public static Dataset<Row> kept(Dataset<Row> rollouts) {
    return rollouts.filter(col("sample_index").geq(0));
  }

  /**
   * The prompts a {@link #run} result could not roll out: the {@link RolloutReason} code in {@code
   * finish_reason}, the detail in {@code text}.
   */
  public static Dataset<Row> rejected(Dataset<Row> rollouts) {
    return rollouts.filter(col("sample_index").equalTo(RolloutRows.REJECTED));
  }

  /** One row per task that rolled out prompts, naming its device in {@code text}. */
  public static Dataset<Row> devices(Dataset<Row> rollouts) {
    return rollouts.filter(col("sample_index").equalTo(RolloutRows.DEVICE));
  }
}
