package io.gristmill.core.kind;

import io.gristmill.core.spark.SparkSchemas;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The contract columns of the RL kinds, declared here once. Modules build their full row schemas on
 * top of these (a table may carry more columns); column names are part of the snapshot format.
 */
public final class KindSchemas {
  private KindSchemas() {}

  private static final ArrayType INTS = DataTypes.createArrayType(DataTypes.IntegerType, false);
  private static final ArrayType FLOATS = DataTypes.createArrayType(DataTypes.FloatType, false);

  /**
   * A rollout sample. {@code prompt_id} is the curated row's {@code id} (one id scheme from curate
   * to export); {@code data_source} and {@code ground_truth} are carried from the prompt set.
   */
  public static final StructType ROLLOUT =
      new StructType()
          .add("prompt_id", DataTypes.StringType, false)
          .add("sample_index", DataTypes.IntegerType, false)
          .add("data_source", DataTypes.StringType, true)
          .add("ground_truth", DataTypes.StringType, true)
          .add("model_id", DataTypes.StringType, false)
          .add("seed", DataTypes.LongType, false)
          .add("prompt", DataTypes.StringType, false)
          .add("prompt_token_ids", INTS, false)
          .add("response_token_ids", INTS, false)
          .add("response_logprobs", FLOATS, false)
          .add("text", DataTypes.StringType, false)
          .add("finish_reason", DataTypes.StringType, false)
          .add("prompt_tokens", DataTypes.IntegerType, false)
          .add("response_tokens", DataTypes.IntegerType, false);

  /**
   * A scored sample: the rollout's ids and tokens (token columns null for imported rollouts that
   * have none), the reward, and {@code advantage} (the variant named in the manifest's properties,
   * {@code advantage_variant}).
   */
  public static final StructType SCORED_ROLLOUT =
      new StructType()
          .add("prompt_id", DataTypes.StringType, false)
          .add("sample_index", DataTypes.IntegerType, true)
          .add("data_source", DataTypes.StringType, false)
          .add("ground_truth", DataTypes.StringType, true)
          .add("prompt", DataTypes.StringType, true)
          .add("response", DataTypes.StringType, false)
          .add("prompt_token_ids", INTS, true)
          .add("response_token_ids", INTS, true)
          .add("response_logprobs", FLOATS, true)
          .add("reward", DataTypes.DoubleType, false)
          .add("correct", DataTypes.BooleanType, false)
          .add("advantage", DataTypes.DoubleType, false);

  /** One row per prompt. */
  public static final StructType DIFFICULTY =
      new StructType()
          .add("prompt_id", DataTypes.StringType, false)
          .add("data_source", DataTypes.StringType, false)
          .add("prompt", DataTypes.StringType, true)
          .add("samples", DataTypes.IntegerType, false)
          .add("correct", DataTypes.IntegerType, false)
          .add("pass_rate", DataTypes.DoubleType, false);

  /** Selected prompts: the curated row (so its answer travels on) plus the prediction. */
  public static final StructType SELECTION =
      SparkSchemas.CONVERSATION.add("predicted_pass_rate", DataTypes.DoubleType, false);
}
