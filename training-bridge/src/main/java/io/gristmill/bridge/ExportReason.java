package io.gristmill.bridge;

import io.gristmill.core.record.ReasonCode;

/** Why an export stage rejected a row (the {@code reason} column of {@code OUTPUT/rejected/}). */
public enum ExportReason implements ReasonCode {
  /** SFT: the sample has more than {@code max_tokens} tokens and the policy is skip (or fail). */
  OVERLONG,
  /** SFT: no assistant token to train on (no assistant turn, or none left after truncation). */
  NO_ASSISTANT_TOKENS,
  /** SFT: the chat template failed on the conversation (e.g. {@code raise_exception}). */
  CHAT_TEMPLATE_FAILED,
  /**
   * SFT: rendering a prefix of the conversation is not a prefix of the full rendering, so the
   * assistant spans cannot be located.
   */
  TEMPLATE_NOT_PREFIX_STABLE,
  /** SFT: decoding the tokens of a piece of the rendering does not give the piece back. */
  TOKENIZER_ROUND_TRIP,
  /** verl, shards-prompts: no turn before the first assistant turn. */
  NO_PROMPT,
  /** verl, shards-prompts: no reference answer (column {@code ground_truth}, or metadata). */
  NO_GROUND_TRUTH,
  /**
   * shards-rl: the scored sample lacks token ids, logprobs or its sample index (an imported
   * rollout).
   */
  NO_TOKEN_IDS,
  /** shards-rl: {@code response_logprobs} and {@code response_token_ids} differ in length. */
  LOGPROBS_MISMATCH;

  @Override
  public String code() {
    return ReasonCode.codeOf(this);
  }
}
