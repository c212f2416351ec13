package io.gristmill.scoring.reward;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Picks the reward function for a row by its {@code data_source}, as verl does: an exact match of
 * the source name, else the {@code default} entry, else none (the row is rejected by the scoring
 * stage). Built from config on each executor; holds no resources.
 */
public final class RewardRegistry implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The registry key that applies to every data source without its own entry. */
  public static final String DEFAULT = "default";

  private final Map<String, RewardFunction> bySource;

  public RewardRegistry(Map<String, RewardSpec> specs, VerifierLimits limits) {
    Map<String, RewardFunction> m = new TreeMap<>();
    specs.forEach((source, spec) -> m.put(source, new WeightedReward(spec, limits)));
    this.bySource = m;
  }

  /** The reward function for {@code dataSource}, or null when neither it nor a default exists. */
  public RewardFunction forSource(String dataSource) {
    RewardFunction f = dataSource == null ? null : bySource.get(dataSource);
    return f != null ? f : bySource.get(DEFAULT);
  }
}
