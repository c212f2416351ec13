package io.gristmill.curation.decontam;

import io.gristmill.core.record.ReasonCode;

/** Why decontamination rejected a row; {@link #code()} is the lower-case name. */
public enum DecontamReason implements ReasonCode {
  /** A checked turn shares enough n-grams with a benchmark item. */
  CONTAMINATED;

  @Override
  public String code() {
    return ReasonCode.codeOf(this);
  }
}
