package io.gristmill.scoring.reward;

import java.util.Locale;

/**
 * Finds the final answer in a model response, trying in order: the last {@code \boxed{...}} (or
 * {@code \fbox}, nested braces allowed), the last GSM8K {@code #### X} line, the last answer line
 * ({@code Answer: X}, {@code A: X}, {@code Final answer: X}, {@code ... the answer is X}), and,
 * when enabled, the last number in the text. Hand-written scanners, no regular expressions, so no
 * input can make it backtrack; every character visited ticks the budget.
 */
public final class AnswerExtractor {
  /** How an answer was found; the lower-case name is what outputs carry. */
  public enum Method {
    BOXED,
    HASHES,
    ANSWER_LINE,
    LAST_NUMBER
  }

  /** An extracted answer and how it was found. */
  public record Extraction(String answer, Method method) {}

  private static final String[] LINE_PREFIXES = {"final answer:", "answer:", "a:"};
  private static final String[] PHRASES = {"the final answer is", "the answer is"};

  private AnswerExtractor() {}

  /** The final answer of {@code text}, or null when there is none. */
  public static Extraction extract(String text, boolean lastNumberFallback, Budget budget) {
    String boxed = lastBoxed(text, budget);
    if (boxed != null) {
      return new Extraction(boxed, Method.BOXED);
    }
    int hashes = text.lastIndexOf("####");
    budget.tick(text.length());
    if (hashes >= 0) {
      String rest = restOfLine(text, hashes + 4);
      if (!rest.isEmpty()) {
        return new Extraction(clean(rest), Method.HASHES);
      }
    }
    String line = answerLine(text, budget);
    if (line != null) {
      return new Extraction(line, Method.ANSWER_LINE);
    }
    if (lastNumberFallback) {
      String n = lastNumber(text, budget);
      if (n != null) {
        return new Extraction(n, Method.LAST_NUMBER);
      }
    }
    return null;
  }

  /** The content of the last balanced {@code \boxed{...}} or {@code \fbox{...}}, or null. */
  static String lastBoxed(String text, Budget budget) {
    int at = Math.max(text.lastIndexOf("\\boxed"), text.lastIndexOf("\\fbox"));
    budget.tick(text.length());
    while (at >= 0) {
      int afterName = at + (text.startsWith("\\boxed", at) ? 6 : 5);
      int i = afterName;
      while (i < text.length() && text.charAt(i) == ' ' && i - at < 16) {
        i++;
      }
      if (i < text.length() && text.charAt(i) == '{') {
        int close = Braces.matching(text, i, budget);
        if (close > 0) {
          String inner = text.substring(i + 1, close).trim();
          if (!inner.isEmpty()) {
            return inner;
          }
        }
      } else if (i > afterName) {
        int end = i;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
          end++;
          budget.tick();
        }
        String inner = clean(text.substring(i, end));
        if (!inner.isEmpty()) {
          return inner;
        }
      }
      if (at == 0) {
        break;
      }
      at = Math.max(text.lastIndexOf("\\boxed", at - 1), text.lastIndexOf("\\fbox", at - 1));
      budget.tick(at + 1L);
    }
    return null;
  }

  private static String answerLine(String text, Budget budget) {
    int end = text.length();
    int lines = 0;
    while (end > 0 && lines++ < 200) {
      int start = text.lastIndexOf('\n', end - 1) + 1;
      budget.tick(end - start + 1L);
      String line = text.substring(start, end).trim();
      String lower = line.toLowerCase(Locale.ROOT);
      for (String p : LINE_PREFIXES) {
        if (lower.startsWith(p) && line.length() > p.length()) {
          String v = clean(line.substring(p.length()));
          if (!v.isEmpty()) {
            return v;
          }
        }
      }
      for (String p : PHRASES) {
        int k = lower.lastIndexOf(p);
        if (k >= 0) {
          String v = clean(line.substring(k + p.length()));
          if (v.startsWith(":")) {
            v = clean(v.substring(1));
          }
          if (!v.isEmpty()) {
            return v;
          }
        }
      }
      end = start - 1;
    }
    return null;
  }

  /** The last run that looks like a number ("-1,234.5", "3/4"), or null. */
  static String lastNumber(String text, Budget budget) {
    int i = text.length() - 1;
    while (i >= 0) {
      budget.tick();
      if (Character.isDigit(text.charAt(i))) {
        int end = i + 1;
        int start = i;
        while (start > 0) {
          char c = text.charAt(start - 1);
          boolean inner =
              (c == ',' || c == '.' || c == '/')
                  && start - 2 >= 0
                  && Character.isDigit(text.charAt(start - 2));
          if (Character.isDigit(c) || inner) {
            start--;
            budget.tick();
          } else {
            break;
          }
        }
        if (start > 0 && text.charAt(start - 1) == '-') {
          start--;
        }
        return text.substring(start, end);
      }
      i--;
    }
    return null;
  }

  private static String restOfLine(String text, int from) {
    int nl = text.indexOf('\n', from);
    return text.substring(from, nl < 0 ? text.length() : nl).trim();
  }

  /** Trims spaces, a trailing period and surrounding '$' or '**' from an extracted answer. */
  static String clean(String s) {
    String t = s.trim();
    boolean changed = true;
    while (changed && !t.isEmpty()) {
      changed = false;
      if (t.endsWith(".") && !t.endsWith("..")) {
        t = t.substring(0, t.length() - 1).trim();
        changed = true;
      }
      if (t.startsWith("**") || t.endsWith("**")) {
        t = t.replace("**", "").trim();
        changed = true;
      }
      if (t.length() >= 2 && t.startsWith("$") && t.endsWith("$")) {
        t = t.substring(1, t.length() - 1).trim();
        changed = true;
      }
    }
    return t;
  }
}
