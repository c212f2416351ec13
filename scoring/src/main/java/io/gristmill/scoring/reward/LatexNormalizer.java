package io.gristmill.scoring.reward;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strips the LaTeX and prose noise around a final answer so that equal answers compare equal as
 * text: {@code $}, {@code \left}/{@code \right}, spacing commands, {@code \dfrac}/{@code \tfrac},
 * degree signs, {@code \text{...}} (unwrapped, or dropped when it is a unit after a number),
 * thousands separators, a trailing period, and all whitespace. Input must already be size-capped by
 * the caller; every pass over the text ticks the budget.
 */
final class LatexNormalizer {
  private static final String[] DROP = {
    "\\left",
    "\\right",
    "\\!",
    "\\,",
    "\\;",
    "\\:",
    "\\quad",
    "\\qquad",
    "\\displaystyle",
    "\\limits",
    "^\\circ",
    "^{\\circ}",
    "^{\\circ }",
    "\\circ",
    "°",
    "\\$",
    "$",
    "\\mathrm{~}",
    "~"
  };
  private static final String[][] REPLACE = {
    {"\\dfrac", "\\frac"}, {"\\tfrac", "\\frac"}, {"\\%", "%"}, {"\\{", "{"}, {"\\}", "}"},
    {"\\le ", "\\le"}, {"\\ge ", "\\ge"}, {"∞", "\\infty"}, {"−", "-"}, {"\\cdot", "*"},
    {"\\times", "*"}, {"\\div", "/"}, {"\\neq", "\\ne"}, {"\\leq", "\\le"}, {"\\geq", "\\ge"}
  };
  private static final String[] WRAPPERS = {
    "\\text", "\\textbf", "\\textit", "\\mbox", "\\mathrm", "\\mathbf", "\\operatorname", "\\textup"
  };
  private static final Pattern NUMBER_THEN_WORDS =
      Pattern.compile("^([-+]?[0-9][0-9.,/]{0,40})\\s+[A-Za-z][A-Za-z .]{0,60}$");
  private static final Pattern THOUSANDS = Pattern.compile("^[-+]?\\d{1,3}(,\\d{3})+(\\.\\d+)?$");

  private LatexNormalizer() {}

  static String normalize(String raw, Budget budget) {
    budget.tick(raw.length());
    String s = raw.trim();
    s = unitAfterNumber(s);
    for (String d : DROP) {
      s = s.replace(d, "");
    }
    budget.tick(s.length() * (long) DROP.length);
    for (String[] r : REPLACE) {
      s = s.replace(r[0], r[1]);
    }
    budget.tick(s.length() * (long) REPLACE.length);
    s = unwrapText(s, budget);
    s = s.replace("\\ ", "");
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isWhitespace(c)) {
        sb.append(c);
      }
    }
    budget.tick(s.length());
    s = sb.toString();
    while (s.endsWith(".") || s.endsWith(",") || s.endsWith(";")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.endsWith("%")) {
      s = s.substring(0, s.length() - 1);
    }
    if (THOUSANDS.matcher(s).matches()) {
      s = s.replace(",", "");
    }
    if (s.startsWith("+") && s.length() > 1) {
      s = s.substring(1);
    }
    s = stripOuterBraces(s);
    return s;
  }

  /** "18 dollars" becomes "18"; "5 cm" becomes "5". */
  private static String unitAfterNumber(String s) {
    if (s.length() > 120) {
      return s;
    }
    Matcher m = NUMBER_THEN_WORDS.matcher(s);
    return m.matches() ? m.group(1) : s;
  }

  /**
   * Replaces {@code \text{X}} and friends by X, or removes them when they follow other content (a
   * unit such as {@code 5\text{ cm}}).
   */
  private static String unwrapText(String s, Budget budget) {
    for (String w : WRAPPERS) {
      int from = 0;
      int guard = 0;
      while (true) {
        int at = s.indexOf(w + "{", from);
        if (at < 0 || guard++ > 64) {
          break;
        }
        budget.tick(s.length());
        int open = at + w.length();
        int close = Braces.matching(s, open, budget);
        if (close < 0) {
          break;
        }
        String inner = s.substring(open + 1, close);
        String before = s.substring(0, at);
        String after = s.substring(close + 1);
        boolean unit =
            !before.isBlank()
                && Character.isDigit(lastNonSpace(before))
                && inner.trim().matches("[A-Za-z .]{1,40}")
                && after.isBlank();
        s = before + (unit ? "" : inner) + after;
        from = at;
      }
    }
    return s;
  }

  private static char lastNonSpace(String s) {
    for (int i = s.length() - 1; i >= 0; i--) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return s.charAt(i);
      }
    }
    return ' ';
  }

  /** "{5}" becomes "5" when the braces enclose the whole text. */
  static String stripOuterBraces(String s) {
    while (s.length() >= 2 && s.charAt(0) == '{' && s.charAt(s.length() - 1) == '}') {
      int close = Braces.matching(s, 0, Budget.of(s.length() + 16L, 1000));
      if (close != s.length() - 1) {
        break;
      }
      s = s.substring(1, s.length() - 1);
    }
    return s;
  }
}
