package io.gristmill.scoring.reward;

import io.gristmill.core.text.TextNormalizer;

/**
 * Exact or normalized string match of the whole response (trimmed) or, when the response has an
 * answer line or {@code \boxed{}}, of that answer. Normalized means {@link TextNormalizer} (NFKC,
 * case folded, whitespace collapsed) with surrounding punctuation removed.
 */
final class StringMatchVerifier implements Verifier {
  private static final long serialVersionUID = 1L;
  private final boolean normalized;

  StringMatchVerifier(boolean normalized) {
    this.normalized = normalized;
  }

  @Override
  public Judgement judge(String response, String groundTruth, Budget budget) {
    AnswerExtractor.Extraction e = AnswerExtractor.extract(response, false, budget);
    String answer = e == null ? response.trim() : e.answer();
    budget.tick(answer.length() + groundTruth.length());
    boolean ok =
        normalized ? norm(answer).equals(norm(groundTruth)) : answer.equals(groundTruth.trim());
    return new Judgement(ok, answer.isEmpty() ? null : answer);
  }

  private static String norm(String s) {
    String t = TextNormalizer.normalize(s);
    int a = 0;
    int b = t.length();
    while (a < b && isPunct(t.charAt(a))) {
      a++;
    }
    while (b > a && isPunct(t.charAt(b - 1))) {
      b--;
    }
    return t.substring(a, b);
  }

  private static boolean isPunct(char c) {
    return ".,;:!?\"'`()[]{}".indexOf(c) >= 0;
  }
}
