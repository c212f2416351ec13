package io.gristmill.curation.decontam;

import io.gristmill.core.record.ReasonCode;

/** Why decontamination rejected a row; {@link #code()} is the lower-case name. */
public enum DecontamReason implements ReasonCode {
  /** A checked turn shares enough n-grams with a benchmark item. */
  CONTAMINATED,
  /** A checked turn paraphrases a benchmark item (and shares no n-gram-verified match). */
  PARAPHRASED;

  @Override
  public String code() {
    return ReasonCode.codeOf(this);
  }
}
