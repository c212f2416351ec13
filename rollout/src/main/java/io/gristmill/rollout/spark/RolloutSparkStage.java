package io.gristmill.rollout.spark;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The rollout stage: prompts in ({@code prompt_id}, {@code prompt}), rollout rows out ({@link
 * RolloutRows#SCHEMA}), generated inside the executors by {@code mapPartitions} with one model per
 * executor JVM. Only the config travels from the driver.
 */
public final class RolloutSparkStage {
  private RolloutSparkStage() {}

  /**
   * Lazily rolls out {@code prompts}. The result holds {@code num_samples} rows per prompt, plus
   * one {@code sample_index = -1} row per prompt that could not be rolled out (see {@link
   * #rejected}).
   */
  public static Dataset<Row> run(SparkSession spark, Dataset<Row> prompts, RolloutConfig cfg) {
    Dataset<Row> in = prompts.select(col("prompt_id").cast("string"), col("prompt").cast("string"));
    if (cfg.partitions() > 0) {
      in = in.repartition(cfg.partitions(), col("prompt_id"));
    }
    return in.mapPartitions(new RolloutPartition(cfg), Encoders.row(RolloutRows.SCHEMA));
  }

  /** The generated samples of a {@link #run} result. */
  public static Dataset<Row> kept(Dataset<Row> rollouts) {
    return rollouts.filter(col("sample_index").geq(0));
  }

  /** The prompts a {@link #run} result could not roll out, with the reason in finish_reason. */
  public static Dataset<Row> rejected(Dataset<Row> rollouts) {
    return rollouts.filter(col("sample_index").lt(0));
  }
}
