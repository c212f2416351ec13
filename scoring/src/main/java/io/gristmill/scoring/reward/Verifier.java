package io.gristmill.scoring.reward;

import java.io.Serializable;

/**
 * Judges whether a response's answer matches the ground truth. Inputs are already size-capped;
 * implementations tick the budget in every loop and may throw {@link Budget.Exceeded}, which {@link
 * WeightedReward} turns into an incorrect verdict.
 */
interface Verifier extends Serializable {
  /** The judgement; {@code extracted} is null when the response carries no answer. */
  record Judgement(boolean correct, String extracted) {}

  Judgement judge(String response, String groundTruth, Budget budget);
}
