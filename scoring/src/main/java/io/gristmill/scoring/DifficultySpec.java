package io.gristmill.scoring;

import io.gristmill.core.Errors;
import io.gristmill.core.config.Check;
import java.io.Serializable;

/**
 * Difficulty buckets (YAML {@code difficulty}).
 *
 * @param tooHardAtMost pass rates at or below this are {@code too_hard} (default 0.1)
 * @param tooEasyAtLeast pass rates at or above this are {@code too_easy} (default 0.9)
 * @param z normal quantile of the Wilson interval (default 1.96, 95%)
 */
public record DifficultySpec(Double tooHardAtMost, Double tooEasyAtLeast, Double z)
    implements Serializable {
  public DifficultySpec {
    tooHardAtMost = Check.doubleInRange("too_hard_at_most", tooHardAtMost, 0.1, 0.0, 1.0);
    tooEasyAtLeast = Check.doubleInRange("too_easy_at_least", tooEasyAtLeast, 0.9, 0.0, 1.0);
    z = Check.doubleInRange("z", z, 1.96, 0.0, 10.0);
    if (tooEasyAtLeast <= tooHardAtMost) {
      throw Errors.invalidValue(
          "too_easy_at_least",
          tooEasyAtLeast,
          "a value above too_hard_at_most (" + tooHardAtMost + ")");
    }
  }

  public static DifficultySpec defaults() {
    return new DifficultySpec(null, null, null);
  }
}
