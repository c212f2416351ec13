package io.gristmill.core.record;

import java.util.Locale;

/**
 * Deprecated holder of the old closed list of reason codes; modules now declare their own {@link
 * ReasonCode} enums. Kept only while modules move off it.
 */
public enum Reason implements ReasonCode {
  // ingest
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
  UNREADABLE_FILE,
  // dedup and decontamination
  EXACT_DUPLICATE,
  PROMPT_DUPLICATE,
  NEAR_DUPLICATE,
  CONTAMINATED,
  // filters and mixing
  FILTERED,
  OVER_QUOTA;

  @Override
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Reason fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
