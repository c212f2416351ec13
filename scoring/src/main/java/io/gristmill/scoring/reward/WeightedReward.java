package io.gristmill.scoring.reward;

import io.gristmill.scoring.reward.Verdict.Status;

/**
 * A {@link RewardSpec} made callable: caps sizes, runs its verifier under a fresh {@link Budget},
 * and combines correctness, format and length terms by the spec's weights. Never throws: an
 * exhausted budget, a missing answer or a missing ground truth give an incorrect verdict whose
 * {@link Status} says why.
 */
public final class WeightedReward implements RewardFunction {
  private static final long serialVersionUID = 1L;
  private final RewardSpec spec;
  private final VerifierLimits limits;
  private final Verifier verifier;

  public WeightedReward(RewardSpec spec, VerifierLimits limits) {
    this.spec = spec;
    this.limits = limits;
    this.verifier = spec.verifier();
  }

  @Override
  public Verdict score(String response, String groundTruth, int lengthTokens) {
    String text = response == null ? "" : response;
    int length = lengthTokens >= 0 ? lengthTokens : text.length();
    double overflow =
        Math.min(1.0, Math.max(0.0, (length - (double) spec.maxLength()) / spec.maxLength()));
    if (text.length() > limits.maxResponseChars()) {
      text = text.substring(text.length() - limits.maxResponseChars());
    }
    if (groundTruth == null || groundTruth.isBlank()) {
      return combine(false, null, Status.NO_GROUND_TRUTH, overflow);
    }
    if (groundTruth.length() > limits.maxResponseChars()) {
      return combine(false, null, Status.OVERSIZED, overflow);
    }
    Budget budget = Budget.of(limits.maxSteps(), limits.maxMillis());
    try {
      Verifier.Judgement j = verifier.judge(text, groundTruth, budget);
      if (j.extracted() == null) {
        return combine(false, null, Status.NO_ANSWER, overflow);
      }
      if (j.extracted().length() > limits.maxAnswerChars()) {
        return combine(false, clip(j.extracted()), Status.OVERSIZED, overflow);
      }
      return combine(j.correct(), j.extracted(), Status.OK, overflow);
    } catch (Budget.Exceeded e) {
      return combine(false, null, Status.BUDGET_EXCEEDED, overflow);
    } catch (RuntimeException e) {
      // A verifier bug must not fail the Spark task; the row is scored incorrect and flagged.
      return combine(false, null, Status.VERIFIER_ERROR, overflow);
    }
  }

  private Verdict combine(boolean correct, String extracted, Status status, double overflow) {
    boolean formatOk = extracted != null && overflow == 0.0;
    double reward =
        spec.correctWeight() * (correct ? 1 : 0)
            + spec.formatWeight() * (formatOk ? 1 : 0)
            - spec.lengthPenaltyWeight() * overflow;
    return new Verdict(reward, correct, clip(extracted), status, formatOk);
  }

  private String clip(String s) {
    return s == null || s.length() <= limits.maxAnswerChars()
        ? s
        : s.substring(0, limits.maxAnswerChars());
  }
}
