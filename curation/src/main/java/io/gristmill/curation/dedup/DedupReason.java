package io.gristmill.curation.dedup;

import io.gristmill.core.record.ReasonCode;

/** Why a dedup stage rejected a row; {@link #code()} is the lower-case name. */
public enum DedupReason implements ReasonCode {
  /** Same normalized conversation as a kept row ({@code exact_dedup}). */
  EXACT_DUPLICATE,
  /** Same normalized first user turn as a kept row ({@code prompt_dedup}). */
  PROMPT_DUPLICATE,
  /** Similar (MinHash / Jaccard) to a kept row ({@code near_dedup}). */
  NEAR_DUPLICATE;

  @Override
  public String code() {
    return ReasonCode.codeOf(this);
  }
}
