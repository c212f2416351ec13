package io.gristmill.scoring;

import io.gristmill.core.Errors;
import io.gristmill.core.config.Check;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.scoring.reward.RewardSpec;
import io.gristmill.scoring.reward.VerifierLimits;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The config of {@code gristmill score} (see conf/scoring-gsm8k.yaml). Keys: {@code dataset},
 * {@code input}, {@code rewards} (data_source to {@link RewardSpec}; the key {@code default}
 * applies to every other source), {@code limits}, {@code advantage}, {@code difficulty}, {@code
 * dump}. Everything but {@code input} and {@code rewards} has defaults.
 *
 * @param dataset the output dataset name under the output root (default {@code scored})
 */
public record ScoreConfig(
    String dataset,
    ScoreInput input,
    Map<String, RewardSpec> rewards,
    VerifierLimits limits,
    AdvantageSpec advantage,
    DifficultySpec difficulty,
    DumpSpec dump)
    implements Serializable {
  public ScoreConfig {
    dataset = Check.orDefault(dataset, "scored");
    if (dataset.isBlank() || dataset.contains("/")) {
      throw Errors.invalidValue("dataset", dataset, "a folder name without '/'");
    }
    input = Check.required("input", input);
    rewards = Check.required("rewards", rewards);
    if (rewards.isEmpty()) {
      throw Errors.invalidValue("rewards", "{}", "at least one data_source: {type: math}");
    }
    rewards = Map.copyOf(new TreeMap<>(rewards));
    limits = Check.orDefault(limits, VerifierLimits.defaults());
    advantage = Check.orDefault(advantage, AdvantageSpec.defaults());
    difficulty = Check.orDefault(difficulty, DifficultySpec.defaults());
    dump = Check.orDefault(dump, DumpSpec.defaults());
  }

  /** Loads and validates a YAML file, applying {@code --set key=value} overrides. */
  public static ScoreConfig load(Path file, List<String> overrides) {
    return ConfigLoader.load(file, ScoreConfig.class, overrides);
  }
}
