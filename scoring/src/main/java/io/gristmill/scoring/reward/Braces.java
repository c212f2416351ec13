package io.gristmill.scoring.reward;

/** Bounded brace matching, the one primitive the extractor and the normalizer share. */
final class Braces {
  /** Deepest nesting accepted; deeper input is treated as unbalanced. */
  static final int MAX_DEPTH = 200;

  private Braces() {}

  /**
   * The index of the '}' that closes the '{' at {@code open}, or -1 when the braces do not balance
   * (or nest deeper than {@link #MAX_DEPTH}). Escaped braces ({@code \{}) count as braces, as in
   * LaTeX sets.
   */
  static int matching(String s, int open, Budget budget) {
    if (open < 0 || open >= s.length() || s.charAt(open) != '{') {
      return -1;
    }
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      budget.tick();
      char c = s.charAt(i);
      if (c == '{') {
        if (++depth > MAX_DEPTH) {
          return -1;
        }
      } else if (c == '}') {
        if (--depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }
}
