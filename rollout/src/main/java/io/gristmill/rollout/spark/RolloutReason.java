package io.gristmill.rollout.spark;

import io.gristmill.core.record.ReasonCode;
import java.util.Locale;

/** Why the rollout stage could not roll out a prompt (the {@code reason} of its rejected rows). */
public enum RolloutReason implements ReasonCode {
  /** The prompt's tokens (after the chat template) fill the model's context. */
  PROMPT_TOO_LONG,
  /** The prompt is null or blank (a conversation without a user turn has none). */
  EMPTY_PROMPT;

  @Override
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
