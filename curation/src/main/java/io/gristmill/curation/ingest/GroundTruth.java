package io.gristmill.curation.ingest;

/** Reference answers of prompt-set records, extracted from their solution text. */
public final class GroundTruth {
  private static final String BOXED = "\\boxed{";

  private GroundTruth() {}

  /**
   * GSM8K: the text after the last {@code ####} of the answer, trimmed, thousands commas removed
   * ({@code "#### 1,234"} gives {@code 1234}); null when the answer has no {@code ####}.
   */
  public static String gsm8k(String answer) {
    if (answer == null) {
      return null;
    }
    int at = answer.lastIndexOf("####");
    if (at < 0) {
      return null;
    }
    String s = answer.substring(at + 4).replace(",", "").trim();
    return s.isEmpty() ? null : s;
  }

  /**
   * MATH: the content of the last {@code \boxed{...}} of the solution, braces matched (so {@code
   * \boxed{\frac{1}{2}}} gives {@code \frac{1}{2}}); null when there is none or it is not closed.
   */
  public static String lastBoxed(String solution) {
    if (solution == null) {
      return null;
    }
    int at = solution.lastIndexOf(BOXED);
    if (at < 0) {
      return null;
    }
    int from = at + BOXED.length();
    int depth = 1;
    for (int i = from; i < solution.length(); i++) {
      char c = solution.charAt(i);
      if (c == '\\' && i + 1 < solution.length()) {
        i++; // an escaped brace (\{ or \}) does not open or close
        continue;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        String s = solution.substring(from, i).trim();
        return s.isEmpty() ? null : s;
      }
    }
    return null;
  }

  /**
   * A numeric answer field as plain text: a JSON number without exponent or trailing zeros ({@code
   * 27.0} gives {@code 27}, {@code 6277334000.0} gives {@code 6277334000}, {@code 3.50} gives
   * {@code 3.5}); a string as {@link #number(String)}; null when missing.
   */
  public static String number(com.fasterxml.jackson.databind.JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      java.math.BigDecimal d = n.decimalValue().stripTrailingZeros();
      return (d.signum() == 0 ? java.math.BigDecimal.ZERO : d).toPlainString();
    }
    return number(JsonFields.text(n));
  }

  /** A numeric answer as text without a trailing {@code .0} ({@code 27.0} gives {@code 27}). */
  public static String number(String n) {
    if (n == null) {
      return null;
    }
    String s = n.trim();
    return s.endsWith(".0") && s.length() > 2 ? s.substring(0, s.length() - 2) : s;
  }

  /**
   * An answer without the {@code $} signs around it ({@code "$2n$"} gives {@code 2n}), trimmed, as
   * Qwen2.5-Math's evaluation reads OlympiadBench's {@code final_answer}.
   */
  public static String stripDollars(String a) {
    if (a == null) {
      return null;
    }
    String t = a.trim();
    int from = 0;
    int to = t.length();
    while (from < to && t.charAt(from) == '$') {
      from++;
    }
    while (to > from && t.charAt(to - 1) == '$') {
      to--;
    }
    String s = t.substring(from, to).trim();
    return s.isEmpty() ? null : s;
  }
}
