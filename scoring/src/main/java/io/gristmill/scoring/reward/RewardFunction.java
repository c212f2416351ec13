package io.gristmill.scoring.reward;

import java.io.Serializable;

/**
 * Scores one response against its ground truth. Implementations are pure, thread-safe and bounded:
 * they never throw on bad input and return within their budget.
 */
public interface RewardFunction extends Serializable {
  /**
   * @param response the model's response text (may be null)
   * @param groundTruth the reference answer or reference solution (may be null)
   * @param lengthTokens the response length in tokens, or -1 when unknown (characters are used)
   */
  Verdict score(String response, String groundTruth, int lengthTokens);
}
