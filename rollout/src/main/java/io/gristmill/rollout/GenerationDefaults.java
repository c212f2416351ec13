package io.gristmill.rollout;

import java.util.List;

/**
 * A checkpoint's generation defaults ({@code generation_config.json}): end-of-sequence ids and the
 * sampling settings its authors recommend. Null fields mean "not set".
 */
public record GenerationDefaults(
    List<Integer> eosIds, Double temperature, Double topP, Integer topK) {
  public GenerationDefaults {
    eosIds = List.copyOf(eosIds);
  }

  static GenerationDefaults of(ModelConfig c) {
    return new GenerationDefaults(c.eosIds(), null, null, null);
  }
}
