package io.gristmill.scoring.reward;

import java.io.Serializable;

/**
 * What a reward function decided for one response.
 *
 * @param reward the combined reward (correctness, format and length terms, weighted)
 * @param correct whether the answer matched the ground truth
 * @param extracted the answer taken from the response, or null when none was found
 * @param status how the call ended: {@link Status#OK}, or why it could not judge
 * @param formatOk whether the response carries an answer in the expected form and is within the
 *     length limit
 */
public record Verdict(
    double reward, boolean correct, String extracted, Status status, boolean formatOk)
    implements Serializable {

  /** How a verifier call ended. The lower-case name is what outputs carry. */
  public enum Status {
    /** Judged normally. */
    OK,
    /** No answer could be extracted from the response. */
    NO_ANSWER,
    /** The response or an answer was larger than the configured size cap; judged incorrect. */
    OVERSIZED,
    /** The call used up its step or time budget; judged incorrect. */
    BUDGET_EXCEEDED,
    /** The row has no ground truth to compare against. */
    NO_GROUND_TRUTH,
    /** The verifier failed unexpectedly (a bug); judged incorrect so the task goes on. */
    VERIFIER_ERROR;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
