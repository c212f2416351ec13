package io.gristmill.scoring;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * Group advantages (YAML {@code advantage}).
 *
 * @param eps added to the std in GRPO's denominator (default 1e-6)
 * @param std {@code sample} (Bessel-corrected, as verl; default) or {@code population}
 * @param dapo {@code flag} (default: keep every rollout, mark all-equal groups with {@code
 *     dapo_keep = false}) or {@code drop} (move them to {@code rejected} with reason {@code
 *     filtered})
 */
public record AdvantageSpec(Double eps, String std, String dapo) implements Serializable {
  public AdvantageSpec {
    eps = Check.doubleInRange("eps", eps, 1e-6, 0.0, 1.0);
    std = Check.oneOf("std", std, "sample", List.of("sample", "population"));
    dapo = Check.oneOf("dapo", dapo, "flag", List.of("flag", "drop"));
  }

  public static AdvantageSpec defaults() {
    return new AdvantageSpec(null, null, null);
  }
}
