package io.gristmill.scoring.reward;

/**
 * Multiple-choice letter match (A to J). The response's letter is the extracted answer's first
 * standalone letter ("(B)", "B.", "\text{B}", "Answer: b) 42"); the ground truth is a letter or a
 * 0-based index ("1" means B), as in MMLU.
 */
final class ChoiceVerifier implements Verifier {
  private static final long serialVersionUID = 1L;

  @Override
  public Judgement judge(String response, String groundTruth, Budget budget) {
    AnswerExtractor.Extraction e = AnswerExtractor.extract(response, false, budget);
    String answer = e == null ? response.trim() : e.answer();
    Character got = letter(answer, budget);
    Character want = expected(groundTruth.trim(), budget);
    if (got == null) {
      return new Judgement(false, null);
    }
    return new Judgement(want != null && got.equals(want), String.valueOf(got));
  }

  private static Character expected(String gt, Budget budget) {
    if (gt.matches("\\d{1,2}")) {
      int i = Integer.parseInt(gt);
      return i < 10 ? (char) ('A' + i) : null;
    }
    return letter(gt, budget);
  }

  /** The first letter A-J that stands alone (not inside a word), upper-cased. */
  static Character letter(String s, Budget budget) {
    String t = s.replace("\\text{", " ").replace("\\textbf{", " ");
    for (int i = 0; i < t.length(); i++) {
      budget.tick();
      char c = t.charAt(i);
      char u = Character.toUpperCase(c);
      if (u >= 'A' && u <= 'J') {
        boolean startOk = i == 0 || !Character.isLetterOrDigit(t.charAt(i - 1));
        boolean endOk = i + 1 == t.length() || !Character.isLetterOrDigit(t.charAt(i + 1));
        if (startOk && endOk && (Character.isUpperCase(c) || i == 0)) {
          return u;
        }
      }
    }
    return null;
  }
}
