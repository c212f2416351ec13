package io.gristmill.scoring;

import io.gristmill.core.record.ReasonCode;
import java.util.Locale;

/** Why score and value-model select reject a row (the {@code reason} of its rejected row). */
public enum ScoringReason implements ReasonCode {
  // score_input: an input line or row that is not a usable rollout
  MALFORMED_JSON,
  NOT_AN_OBJECT,
  MISSING_FIELD,
  WRONG_TYPE,
  OVERSIZED_RECORD,
  /** score_reward: the row's data_source has no reward function (and there is no default). */
  NO_REWARD_FUNCTION,
  /** group_stats with {@code dapo: drop}: every reward of the prompt's group is equal. */
  DAPO_ALL_EQUAL,
  /** value_model_select: a pool row without prompt text. */
  NO_PROMPT_TEXT,
  /**
   * value_model_select, in the stage report only: a pool row farther from the target than the m
   * picked (it stays in the pool; not copied to rejected/).
   */
  NOT_SELECTED;

  @Override
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
