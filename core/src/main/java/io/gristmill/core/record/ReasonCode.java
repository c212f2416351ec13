package io.gristmill.core.record;

/**
 * Why a stage dropped a row. Each module declares the codes of the stages it owns (an enum that
 * implements this interface), so a new stage adds its reasons in its own package; core declares
 * none of them. {@link #code()} is the lower-case string outputs and reports carry.
 */
public interface ReasonCode {
  /** The code written to the {@code reason} column, e.g. {@code exact_duplicate}. */
  String code();

  /** The lower-case name of an enum constant, the usual way to derive a code. */
  static String codeOf(Enum<?> e) {
    return e.name().toLowerCase(java.util.Locale.ROOT);
  }
}
