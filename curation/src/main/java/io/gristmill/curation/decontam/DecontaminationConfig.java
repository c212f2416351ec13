package io.gristmill.curation.decontam;

import io.gristmill.core.config.Check;
import io.gristmill.curation.decontam.paraphrase.ParaphraseConfig;
import java.io.Serializable;
import java.util.List;

/**
 * Benchmark decontamination settings (YAML section {@code decontamination}).
 *
 * @param enabled run the stage ({@code enabled}, default true)
 * @param ngram word n-gram size ({@code ngram}, default 13)
 * @param policy {@code remove} (to rejected, reason {@code contaminated}; default) or {@code flag}
 *     (a {@code contamination} column on kept rows)
 * @param check which turns are checked ({@code check}): {@code user}, {@code assistant} or {@code
 *     both} (default)
 * @param benchmarks the benchmark files ({@code benchmarks})
 * @param maxItemFrequency n-grams found in more benchmark items than this are boilerplate and
 *     ignored ({@code max_item_frequency}, default 10)
 * @param minOverlap a sample matches an item when at least this fraction of the item's n-grams
 *     occur in it ({@code min_overlap}, default 0: any shared n-gram)
 * @param paraphrase paraphrase-aware matching ({@code paraphrase}, see {@link ParaphraseConfig});
 *     absent or {@code enabled: false}: n-gram matching only
 */
public record DecontaminationConfig(
    Boolean enabled,
    Integer ngram,
    String policy,
    String check,
    List<BenchmarkSpec> benchmarks,
    Integer maxItemFrequency,
    Double minOverlap,
    ParaphraseConfig paraphrase)
    implements Serializable {
  public static final List<String> POLICIES = List.of("remove", "flag");
  public static final List<String> CHECKS = List.of("user", "assistant", "both");

  public DecontaminationConfig {
    enabled = Check.orDefault(enabled, true);
    ngram = Check.intInRange("ngram", ngram, 13, 1, 64);
    policy = Check.oneOf("policy", policy, "remove", POLICIES);
    check = Check.oneOf("check", check, "both", CHECKS);
    benchmarks = Check.listOrEmpty(benchmarks);
    maxItemFrequency = Check.intInRange("max_item_frequency", maxItemFrequency, 10, 1, 1_000_000);
    minOverlap = Check.doubleInRange("min_overlap", minOverlap, 0.0, 0.0, 1.0);
  }

  /** Settings without paraphrase matching. */
  public DecontaminationConfig(
      Boolean enabled,
      Integer ngram,
      String policy,
      String check,
      List<BenchmarkSpec> benchmarks,
      Integer maxItemFrequency,
      Double minOverlap) {
    this(enabled, ngram, policy, check, benchmarks, maxItemFrequency, minOverlap, null);
  }

  /** Whether paraphrase matching runs. */
  public boolean paraphrases() {
    return paraphrase != null && paraphrase.enabled();
  }

  public DecontaminationConfig withParaphrase(ParaphraseConfig p) {
    return new DecontaminationConfig(
        enabled, ngram, policy, check, benchmarks, maxItemFrequency, minOverlap, p);
  }

  public boolean removes() {
    return "remove".equals(policy);
  }

  /** Whether turns of {@code role} are checked. */
  public boolean checks(String role) {
    return switch (check) {
      case "user" -> "user".equals(role);
      case "assistant" -> "assistant".equals(role);
      default -> "user".equals(role) || "assistant".equals(role);
    };
  }

  public DecontaminationConfig withPolicy(String p) {
    return new DecontaminationConfig(
        enabled, ngram, p, check, benchmarks, maxItemFrequency, minOverlap, paraphrase);
  }

  public DecontaminationConfig withBenchmarks(List<BenchmarkSpec> b) {
    return new DecontaminationConfig(
        enabled, ngram, policy, check, b, maxItemFrequency, minOverlap, paraphrase);
  }
}
