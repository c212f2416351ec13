package io.gristmill.scoring.group;

import java.io.Serializable;

/**
 * A prompt's difficulty from its rollouts: pass rate, a Wilson score interval, and a bucket.
 *
 * @param samples number of rollouts
 * @param correct number judged correct
 * @param passRate correct / samples
 * @param wilsonLow lower end of the Wilson interval at the configured z
 * @param wilsonHigh upper end
 * @param bucket {@code too_hard} (pass rate at or below the low threshold), {@code too_easy} (at or
 *     above the high threshold) or {@code intermediate}
 */
public record Difficulty(
    int samples, int correct, double passRate, double wilsonLow, double wilsonHigh, String bucket)
    implements Serializable {
  public static final String TOO_HARD = "too_hard";
  public static final String INTERMEDIATE = "intermediate";
  public static final String TOO_EASY = "too_easy";

  /**
   * @param z the normal quantile of the interval (1.96 for 95%)
   * @param tooHardAtMost pass rates at or below this are {@code too_hard}
   * @param tooEasyAtLeast pass rates at or above this are {@code too_easy}
   */
  public static Difficulty of(
      int samples, int correct, double z, double tooHardAtMost, double tooEasyAtLeast) {
    if (samples <= 0 || correct < 0 || correct > samples) {
      throw new IllegalArgumentException(
          "Cannot compute difficulty: need 0 <= correct <= samples and samples > 0, got "
              + correct
              + "/"
              + samples);
    }
    double p = correct / (double) samples;
    double z2 = z * z;
    double denom = 1 + z2 / samples;
    double centre = (p + z2 / (2.0 * samples)) / denom;
    double half = z * Math.sqrt(p * (1 - p) / samples + z2 / (4.0 * samples * samples)) / denom;
    String bucket = p <= tooHardAtMost ? TOO_HARD : p >= tooEasyAtLeast ? TOO_EASY : INTERMEDIATE;
    return new Difficulty(
        samples, correct, p, Math.max(0, centre - half), Math.min(1, centre + half), bucket);
  }
}
