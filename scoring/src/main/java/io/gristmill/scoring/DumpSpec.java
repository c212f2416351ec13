package io.gristmill.scoring;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * DUMP curriculum weights (YAML {@code dump}).
 *
 * @param window W: how many of each source's latest responses enter the mean |advantage| (default
 *     1000); latest means highest {@code step}, then highest prompt_id and sample_index
 * @param c exploration constant of the UCB term (default 1.0)
 * @param tau softmax temperature (default 0.1)
 * @param advantage which advantage's magnitude is averaged: {@code grpo} (default) or {@code
 *     dr_grpo}
 */
public record DumpSpec(Integer window, Double c, Double tau, String advantage)
    implements Serializable {
  public DumpSpec {
    window = Check.intInRange("window", window, 1000, 1, 100_000_000);
    c = Check.doubleInRange("c", c, 1.0, 0.0, 100.0);
    tau = Check.doubleInRange("tau", tau, 0.1, 1e-6, 100.0);
    advantage = Check.oneOf("advantage", advantage, "grpo", List.of("grpo", "dr_grpo"));
  }

  public static DumpSpec defaults() {
    return new DumpSpec(null, null, null, null);
  }
}
