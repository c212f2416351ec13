package io.gristmill.curation.dedup.near;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * Near-duplicate removal settings (YAML section {@code near_dedup}, snake_case keys).
 *
 * @param enabled run the stage ({@code enabled}, default true)
 * @param field which text is compared ({@code field}): {@code first_user_turn} (default), {@code
 *     user_turns} or {@code conversation}
 * @param ngram word n-gram size of the shingles ({@code ngram}, default 5)
 * @param numPerm number of MinHash permutations ({@code num_perm}, default 128)
 * @param threshold Jaccard similarity at which two texts are duplicates ({@code threshold}, 0.8)
 * @param seed seed of the hash functions ({@code seed}, default 42); signatures are comparable only
 *     between runs with the same seed, ngram and num_perm
 * @param verify how candidate pairs are checked ({@code verify}): {@code exact} shingle-set Jaccard
 *     (default) or {@code estimated} signature agreement
 * @param minTokens texts with fewer words are never merged ({@code min_tokens}, default 5)
 * @param maxBucketPairs LSH buckets with more members than this emit a star and a chain instead of
 *     all pairs ({@code max_bucket_size}, default 50), bounding the pair count of huge buckets
 * @param falseNegativeWeight weight of the false-negative area when bands and rows are chosen
 *     ({@code false_negative_weight}, default 0.9; false positives get the rest). Candidates are
 *     verified, so false positives cost only CPU and recall is favoured
 * @param representative which member of a cluster is kept ({@code representative})
 */
public record NearDedupConfig(
    Boolean enabled,
    String field,
    Integer ngram,
    Integer numPerm,
    Double threshold,
    Long seed,
    String verify,
    Integer minTokens,
    Integer maxBucketSize,
    Double falseNegativeWeight,
    RepresentativeConfig representative)
    implements Serializable {
  public static final List<String> FIELDS =
      List.of("first_user_turn", "user_turns", "conversation");
  public static final List<String> VERIFY = List.of("exact", "estimated");

  public NearDedupConfig {
    enabled = Check.orDefault(enabled, true);
    field = Check.oneOf("field", field, "first_user_turn", FIELDS);
    ngram = Check.intInRange("ngram", ngram, 5, 1, 64);
    numPerm = Check.intInRange("num_perm", numPerm, 128, 8, 1024);
    threshold = Check.doubleInRange("threshold", threshold, 0.8, 0.05, 1.0);
    seed = Check.orDefault(seed, 42L);
    verify = Check.oneOf("verify", verify, "exact", VERIFY);
    minTokens = Check.intInRange("min_tokens", minTokens, 5, 1, 1_000_000);
    maxBucketSize = Check.intInRange("max_bucket_size", maxBucketSize, 50, 2, 10_000);
    falseNegativeWeight =
        Check.doubleInRange("false_negative_weight", falseNegativeWeight, 0.9, 0.0, 1.0);
    representative = representative == null ? RepresentativeConfig.defaults() : representative;
  }

  /** All defaults. */
  public static NearDedupConfig defaults() {
    return new NearDedupConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The LSH banding for this threshold, size and weighting. */
  public LshBanding banding() {
    return LshBanding.choose(threshold, numPerm, 1.0 - falseNegativeWeight, falseNegativeWeight);
  }

  public boolean exactVerify() {
    return "exact".equals(verify);
  }

  public NearDedupConfig withVerify(String v) {
    return new NearDedupConfig(
        enabled,
        field,
        ngram,
        numPerm,
        threshold,
        seed,
        v,
        minTokens,
        maxBucketSize,
        falseNegativeWeight,
        representative);
  }

  public NearDedupConfig withField(String f) {
    return new NearDedupConfig(
        enabled,
        f,
        ngram,
        numPerm,
        threshold,
        seed,
        verify,
        minTokens,
        maxBucketSize,
        falseNegativeWeight,
        representative);
  }

  public NearDedupConfig withRepresentative(RepresentativeConfig r) {
    return new NearDedupConfig(
        enabled,
        field,
        ngram,
        numPerm,
        threshold,
        seed,
        verify,
        minTokens,
        maxBucketSize,
        falseNegativeWeight,
        r);
  }
}
