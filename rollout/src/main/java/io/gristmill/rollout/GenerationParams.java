package io.gristmill.rollout;

import io.gristmill.core.config.Check;
import java.util.List;

/**
 * How to generate. Bound from YAML (snake_case keys) by core {@code ConfigLoader}; missing values
 * take the defaults below, out-of-range values fail with the key.
 *
 * @param maxNewTokens {@code max_new_tokens}, default 256, in [1, 1048576]
 * @param temperature {@code temperature}, default 1.0, in [0, 100]; 0 is greedy
 * @param topK {@code top_k}, default 0 (off)
 * @param topP {@code top_p}, default 1.0 (off), in (0, 1]
 * @param seed {@code seed}, the run seed mixed into every sample's seed, default 0
 * @param stopTokenIds {@code stop_token_ids}, added to the model's EOS ids
 * @param stopStrings {@code stop_strings}: a sample stops when its text contains one
 * @param numSamples {@code num_samples}, samples per prompt, default 1
 * @param batchSize {@code batch_size}, sequences per forward pass, default 32
 * @param kvCache {@code kv_cache}, default true; false recomputes the whole prefix every step
 * @param ignoreEos {@code ignore_eos}, default false; true ignores the model's EOS ids (for
 *     benchmarks; {@code stop_token_ids} and {@code stop_strings} still apply)
 * @param batching {@code batching}: {@code continuous} (default: a finished sequence's slot takes
 *     the next waiting sequence, and a prompt's samples share one prefill) or {@code static}
 *     (batches run until their longest sequence ends); both give the same samples (see {@link
 *     Generator})
 */
public record GenerationParams(
    Integer maxNewTokens,
    Double temperature,
    Integer topK,
    Double topP,
    Long seed,
    List<Integer> stopTokenIds,
    List<String> stopStrings,
    Integer numSamples,
    Integer batchSize,
    Boolean kvCache,
    Boolean ignoreEos,
    String batching)
    implements java.io.Serializable {
  public static final String CONTINUOUS = "continuous";
  public static final String STATIC = "static";

  public GenerationParams {
    maxNewTokens = Check.intInRange("max_new_tokens", maxNewTokens, 256, 1, 1 << 20);
    temperature = Check.doubleInRange("temperature", temperature, 1.0, 0.0, 100.0);
    topK = Check.intInRange("top_k", topK, 0, 0, Integer.MAX_VALUE);
    topP = Check.doubleInRange("top_p", topP, 1.0, Double.MIN_VALUE, 1.0);
    seed = Check.orDefault(seed, 0L);
    stopTokenIds = Check.listOrEmpty(stopTokenIds);
    stopStrings = Check.listOrEmpty(stopStrings);
    for (String s : stopStrings) {
      if (s == null || s.isEmpty()) {
        throw io.gristmill.core.Errors.invalidValue("stop_strings", s, "non-empty strings");
      }
    }
    numSamples = Check.intInRange("num_samples", numSamples, 1, 1, 4096);
    batchSize = Check.intInRange("batch_size", batchSize, 32, 1, 4096);
    kvCache = Check.orDefault(kvCache, true);
    ignoreEos = Check.orDefault(ignoreEos, false);
    batching = Check.oneOf("batching", batching, CONTINUOUS, List.of(CONTINUOUS, STATIC));
  }

  /** All defaults. */
  public static GenerationParams defaults() {
    return new GenerationParams(
        null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Greedy decoding of up to {@code maxNewTokens} tokens. */
  public static GenerationParams greedy(int maxNewTokens) {
    return defaults().withMaxNewTokens(maxNewTokens).withTemperature(0.0);
  }

  public GenerationParams withMaxNewTokens(int v) {
    return new GenerationParams(
        v,
        temperature,
        topK,
        topP,
        seed,
        stopTokenIds,
        stopStrings,
        numSamples,
        batchSize,
        kvCache,
        ignoreEos,
        batching);
  }

  public GenerationParams withTemperature(double v) {
    return new GenerationParams(
        maxNewTokens,
        v,
        topK,
        topP,
        seed,
        stopTokenIds,
        stopStrings,
        numSamples,
        batchSize,
        kvCache,
        ignoreEos,
        batching);
  }

  public GenerationParams withTopK(int v) {
    return new GenerationParams(
        maxNewTokens,
        temperature,
        v,
        topP,
        seed,
        stopTokenIds,
        stopStrings,
        numSamples,
        batchSize,
        kvCache,
        ignoreEos,
        batching);
  }

  public GenerationParams withTopP(double v) {
    return new GenerationParams(
        maxNewTokens,
        temperature,
        topK,
        v,
        seed,
        stopTokenIds,
        stopStrings,
        numSamples,
        batchSize,
        kvCache,
        ignoreEos,
        batching);
  }

  public GenerationParams withSeed(long v) {
    return new GenerationParams(
        maxNewTokens,
        temperature,
        topK,
        topP,
        v,
        stopTokenIds,
        stopStrings,
        numSamples,
        batchSize,
        kvCache,
        ignoreEos,
        batching);
  }

  public GenerationParams withStopStrings(List<String> v) {
    return new GenerationParams(
        maxNewTokens,
        temperature,
        topK,
        topP,
        seed,
        stopTokenIds,
        v,
        numSamples,
        batchSize,
        kvCache,
        ignoreEos,
        batching);
  }

  public GenerationParams withNumSamples(int v) {
    return new GenerationParams(
        maxNewTokens,
        temperature,
        topK,
        topP,
        seed,
        stopTokenIds,
        stopStrings,
        v,
        batchSize,
        kvCache,
        ignoreEos,
        batching);
  }

  public GenerationParams withBatchSize(int v) {
    return new GenerationParams(
        maxNewTokens,
        temperature,
        topK,
        topP,
        seed,
        stopTokenIds,
        stopStrings,
        numSamples,
        v,
        kvCache,
        ignoreEos,
        batching);
  }

  public GenerationParams withIgnoreEos(boolean v) {
    return new GenerationParams(
        maxNewTokens,
        temperature,
        topK,
        topP,
        seed,
        stopTokenIds,
        stopStrings,
        numSamples,
        batchSize,
        kvCache,
        v,
        batching);
  }

  public GenerationParams withKvCache(boolean v) {
    return new GenerationParams(
        maxNewTokens,
        temperature,
        topK,
        topP,
        seed,
        stopTokenIds,
        stopStrings,
        numSamples,
        batchSize,
        v,
        ignoreEos,
        batching);
  }

  public GenerationParams withBatching(String v) {
    return new GenerationParams(
        maxNewTokens,
        temperature,
        topK,
        topP,
        seed,
        stopTokenIds,
        stopStrings,
        numSamples,
        batchSize,
        kvCache,
        ignoreEos,
        v);
  }
}
