package io.gristmill.scoring.reward;

import io.gristmill.core.config.Check;
import java.io.Serializable;

/**
 * The bounds every verifier call runs under (YAML {@code limits}).
 *
 * @param maxResponseChars responses longer than this are judged on their last {@code
 *     max_response_chars} characters, where final answers are (default 65536)
 * @param maxAnswerChars extracted answers or ground truths longer than this are not compared and
 *     the verdict is {@code oversized} (default 1000)
 * @param maxSteps the deterministic step budget of one call (default 2,000,000)
 * @param maxMillis the wall-clock backstop of one call (default 1000)
 */
public record VerifierLimits(
    Integer maxResponseChars, Integer maxAnswerChars, Long maxSteps, Long maxMillis)
    implements Serializable {
  public VerifierLimits {
    maxResponseChars =
        Check.intInRange("max_response_chars", maxResponseChars, 65536, 16, 16 << 20);
    maxAnswerChars = Check.intInRange("max_answer_chars", maxAnswerChars, 1000, 1, 100_000);
    maxSteps = Check.longInRange("max_steps", maxSteps, 2_000_000L, 1000, 1_000_000_000L);
    maxMillis = Check.longInRange("max_millis", maxMillis, 1000L, 1, 600_000);
  }

  public static VerifierLimits defaults() {
    return new VerifierLimits(null, null, null, null);
  }
}
