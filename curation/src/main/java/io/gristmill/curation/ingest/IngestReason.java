package io.gristmill.curation.ingest;

import io.gristmill.core.record.ReasonCode;

/** Why ingest rejected a record; {@link #code()} is the lower-case name written to outputs. */
public enum IngestReason implements ReasonCode {
  MALFORMED_JSON,
  INVALID_UTF8,
  NOT_AN_OBJECT,
  MISSING_MESSAGES,
  EMPTY_MESSAGES,
  MISSING_FIELD,
  WRONG_TYPE,
  NON_STRING_CONTENT,
  EMPTY_CONTENT,
  UNKNOWN_ROLE,
  BROKEN_ROLE_ORDER,
  NO_USER_TURN,
  NO_ASSISTANT_TURN,
  UNPARSEABLE_TRANSCRIPT,
  OVERSIZED_RECORD,
  UNREADABLE_FILE;

  @Override
  public String code() {
    return ReasonCode.codeOf(this);
  }

  /** The reason whose {@link #code()} is {@code code}. */
  public static IngestReason fromCode(String code) {
    return valueOf(code.toUpperCase(java.util.Locale.ROOT));
  }
}
