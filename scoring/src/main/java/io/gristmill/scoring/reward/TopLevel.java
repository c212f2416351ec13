package io.gristmill.scoring.reward;

import java.util.ArrayList;
import java.util.List;

/** Splits "(1,2)", "[a,b)", "1,2,3" at top-level commas; a single part means "not a list". */
final class TopLevel {
  private TopLevel() {}

  static boolean isBracket(char c) {
    return c == '(' || c == '[';
  }

  private static boolean isClose(char c) {
    return c == ')' || c == ']';
  }

  /**
   * The parts between top-level commas, without the outer brackets when the text is one bracketed
   * group ("(1,2)" gives [1, 2]; "(1)" gives ["(1)"], a single part).
   */
  static List<String> split(String s, Budget budget) {
    String body = s;
    if (s.length() >= 2 && isBracket(s.charAt(0)) && isClose(s.charAt(s.length() - 1))) {
      if (outerGroupSpansAll(s, budget)) {
        body = s.substring(1, s.length() - 1);
      }
    }
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < body.length(); i++) {
      budget.tick();
      char c = body.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(body.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(body.substring(start));
    if (parts.size() == 1) {
      return List.of(s);
    }
    return parts;
  }

  /** Whether the bracket at 0 closes at the very end (mixed brackets allowed, as in "[0,1)"). */
  private static boolean outerGroupSpansAll(String s, Budget budget) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      budget.tick();
      char c = s.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
        if (depth == 0 && i < s.length() - 1) {
          return false;
        }
      }
    }
    return depth == 0;
  }
}
