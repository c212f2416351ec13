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
 *     dapo_all_equal})
 * @param variant which advantage the {@code advantage} column holds: {@code grpo} ((r - mean) /
 *     (std + eps), default) or {@code dr_grpo} (r - mean, Dr.GRPO); both are kept as {@code
 *     grpo_advantage} and {@code dr_grpo_advantage}, and the manifest's properties name the variant
 *     ({@code advantage_variant})
 */
public record AdvantageSpec(Double eps, String std, String dapo, String variant)
    implements Serializable {
  public static final List<String> VARIANTS = List.of("grpo", "dr_grpo");

  public AdvantageSpec {
    eps = Check.doubleInRange("eps", eps, 1e-6, 0.0, 1.0);
    std = Check.oneOf("std", std, "sample", List.of("sample", "population"));
    dapo = Check.oneOf("dapo", dapo, "flag", List.of("flag", "drop"));
    variant = Check.oneOf("variant", variant, "grpo", VARIANTS);
  }

  public static AdvantageSpec defaults() {
    return new AdvantageSpec(null, null, null, null);
  }

  /** The GROUPED column the {@code advantage} column copies. */
  public String column() {
    return variant + "_advantage";
  }
}
