package io.gristmill.scoring;

import io.gristmill.core.kind.KindSchemas;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Column layouts of the score snapshot's outputs; column names are part of the snapshot format.
 *
 * <ul>
 *   <li>{@link #ROLLOUT}: a rollout to score (the input after reading, any format);
 *   <li>{@link #SCORED}: {@code ROLLOUT} plus reward, correct, extracted_answer, verdict,
 *       format_ok;
 *   <li>{@code data/}: {@link #DATA_COLUMNS}, the {@code scored_rollout} kind's contract ({@link
 *       KindSchemas#SCORED_ROLLOUT}: ids, answer, tokens, logprobs, reward, {@code advantage})
 *       first, then the reward details, the rollout's provenance and {@link #GROUP_COLUMNS};
 *   <li>{@link #DIFFICULTY}: one row per prompt ({@code difficulty/}, the {@code difficulty} kind);
 *   <li>{@link #DUMP}: one row per data source ({@code dump_weights/}).
 * </ul>
 */
public final class ScoringSchemas {
  private ScoringSchemas() {}

  private static final org.apache.spark.sql.types.ArrayType INTS =
      DataTypes.createArrayType(DataTypes.IntegerType);

  public static final StructType ROLLOUT =
      new StructType()
          .add("prompt_id", DataTypes.StringType, false)
          .add("sample_index", DataTypes.IntegerType, true)
          .add("data_source", DataTypes.StringType, false)
          .add("prompt", DataTypes.StringType, true)
          .add("response", DataTypes.StringType, false)
          .add("ground_truth", DataTypes.StringType, true)
          .add("prompt_token_ids", INTS, true)
          .add("response_token_ids", INTS, true)
          .add("response_logprobs", DataTypes.createArrayType(DataTypes.FloatType), true)
          .add("finish_reason", DataTypes.StringType, true)
          .add("label", DataTypes.BooleanType, true)
          .add("generator", DataTypes.StringType, true)
          .add("step", DataTypes.LongType, true);

  static final int DATA_SOURCE = ROLLOUT.fieldIndex("data_source");
  static final int RESPONSE = ROLLOUT.fieldIndex("response");
  static final int GROUND_TRUTH = ROLLOUT.fieldIndex("ground_truth");
  static final int RESPONSE_TOKEN_IDS = ROLLOUT.fieldIndex("response_token_ids");

  /** Where a row came from and, for rows to reject, why; dropped before writing data. */
  static final StructType TRACE =
      new StructType()
          .add("file", DataTypes.StringType, true)
          .add("line", DataTypes.LongType, false)
          .add("reject_reason", DataTypes.StringType, true)
          .add("reject_detail", DataTypes.StringType, true)
          .add("excerpt", DataTypes.StringType, true);

  static final StructType REWARD_COLUMNS =
      new StructType()
          .add("reward", DataTypes.DoubleType, false)
          .add("correct", DataTypes.BooleanType, false)
          .add("extracted_answer", DataTypes.StringType, true)
          .add("verdict", DataTypes.StringType, false)
          .add("format_ok", DataTypes.BooleanType, false);

  public static final StructType GROUP_COLUMNS =
      new StructType()
          .add("group_size", DataTypes.IntegerType, false)
          .add("group_mean", DataTypes.DoubleType, false)
          .add("group_std", DataTypes.DoubleType, false)
          .add("grpo_advantage", DataTypes.DoubleType, false)
          .add("dr_grpo_advantage", DataTypes.DoubleType, false)
          .add("dapo_keep", DataTypes.BooleanType, false);

  public static final StructType SCORED = concat(ROLLOUT, REWARD_COLUMNS);

  static final StructType PARSED = concat(ROLLOUT, TRACE);

  /** The {@code data/} columns, in order: the scored_rollout contract first. */
  public static final java.util.List<String> DATA_COLUMNS =
      java.util.List.of(
          "prompt_id",
          "sample_index",
          "data_source",
          "ground_truth",
          "prompt",
          "response",
          "prompt_token_ids",
          "response_token_ids",
          "response_logprobs",
          "reward",
          "correct",
          "advantage",
          "extracted_answer",
          "verdict",
          "format_ok",
          "finish_reason",
          "label",
          "generator",
          "step",
          "group_size",
          "group_mean",
          "group_std",
          "grpo_advantage",
          "dr_grpo_advantage",
          "dapo_keep");

  static final StructType SCORED_TRACED = concat(SCORED, TRACE);
  static final StructType GROUPED = concat(SCORED, GROUP_COLUMNS);

  public static final StructType DIFFICULTY =
      new StructType()
          .add("prompt_id", DataTypes.StringType, false)
          .add("data_source", DataTypes.StringType, false)
          .add("prompt", DataTypes.StringType, true)
          .add("samples", DataTypes.IntegerType, false)
          .add("correct", DataTypes.IntegerType, false)
          .add("pass_rate", DataTypes.DoubleType, false)
          .add("wilson_low", DataTypes.DoubleType, false)
          .add("wilson_high", DataTypes.DoubleType, false)
          .add("bucket", DataTypes.StringType, false)
          .add("mean_reward", DataTypes.DoubleType, false);

  public static final StructType DUMP =
      new StructType()
          .add("data_source", DataTypes.StringType, false)
          .add("mean_abs_advantage", DataTypes.DoubleType, false)
          .add("responses_seen", DataTypes.LongType, false)
          .add("ucb", DataTypes.DoubleType, false)
          .add("weight", DataTypes.DoubleType, false);

  static StructType concat(StructType a, StructType b) {
    StructType out = a;
    for (var f : b.fields()) {
      out = out.add(f);
    }
    return out;
  }
}
