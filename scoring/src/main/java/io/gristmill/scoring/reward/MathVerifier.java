package io.gristmill.scoring.reward;

/**
 * Math answers: extracts the final answer of the response and of the ground truth (a bare answer
 * such as "18", or a reference solution ending in {@code #### 18} or {@code \boxed{18}}) with
 * {@link AnswerExtractor}, and compares them with {@link MathEquivalence}.
 */
final class MathVerifier implements Verifier {
  private static final long serialVersionUID = 1L;
  private final boolean lastNumberFallback;
  private final double relTol;

  MathVerifier(boolean lastNumberFallback, double relTol) {
    this.lastNumberFallback = lastNumberFallback;
    this.relTol = relTol;
  }

  @Override
  public Judgement judge(String response, String groundTruth, Budget budget) {
    AnswerExtractor.Extraction got = AnswerExtractor.extract(response, lastNumberFallback, budget);
    if (got == null) {
      return new Judgement(false, null);
    }
    String reference = referenceAnswer(groundTruth, budget);
    boolean ok = new MathEquivalence(relTol).equivalent(got.answer(), reference, budget);
    return new Judgement(ok, got.answer());
  }

  /** A reference solution's final answer, or the ground truth itself when it is a bare answer. */
  static String referenceAnswer(String groundTruth, Budget budget) {
    if (groundTruth.indexOf('\n') < 0
        && !groundTruth.contains("\\boxed")
        && !groundTruth.contains("####")) {
      return groundTruth;
    }
    AnswerExtractor.Extraction e = AnswerExtractor.extract(groundTruth, false, budget);
    return e == null ? groundTruth : e.answer();
  }
}
