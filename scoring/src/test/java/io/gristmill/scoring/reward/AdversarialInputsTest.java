package io.gristmill.scoring.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs built to hang or crash a verifier: huge numbers, deep nesting, quadratic scans,
 * pathological lists. Each call must return a verdict (never throw) within the configured limit (1
 * s wall clock, plus slack for a loaded test machine); the step budget makes the outcome
 * deterministic.
 */
class AdversarialInputsTest {
  private static final VerifierLimits LIMITS = new VerifierLimits(null, null, null, 1000L);
  private static final Duration WITHIN = Duration.ofSeconds(4);

  static Stream<Arguments> inputs() {
    String nines = "9".repeat(1_000_000);
    String deepBraces = "{".repeat(100_000) + "1" + "}".repeat(100_000);
    String list500 =
        IntStream.range(0, 330).mapToObj(Integer::toString).collect(Collectors.joining(","));
    String list500Rev =
        IntStream.range(0, 330)
            .map(i -> 329 - i)
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(","));
    return Stream.of(
        Arguments.of("million-digit response", nines, "9"),
        Arguments.of("million-digit boxed", "\\boxed{" + nines + "}", "9"),
        Arguments.of("100k nested braces in boxed", "\\boxed" + deepBraces, "1"),
        Arguments.of("100k unbalanced boxed", "\\boxed{".repeat(100_000), "1"),
        Arguments.of("many boxed markers", "\\boxed{1}\\boxed".repeat(50_000), "1"),
        Arguments.of("a million answer lines", "A:\n".repeat(1_000_000), "1"),
        Arguments.of("hashes without newline", "####".repeat(200_000), "1"),
        Arguments.of("power tower", "\\boxed{" + "9^".repeat(300) + "9}", "9"),
        Arguments.of("nested exponents", "\\boxed{9^{9^{9^{9^{9}}}}}", "1"),
        Arguments.of(
            "deep frac", "\\boxed{" + "\\frac{1}{".repeat(400) + "2" + "}".repeat(400) + "}", "1"),
        Arguments.of(
            "deep sqrt", "\\boxed{" + "\\sqrt{".repeat(400) + "2" + "}".repeat(400) + "}", "1"),
        Arguments.of(
            "deep parentheses", "\\boxed{" + "(".repeat(400) + "1" + ")".repeat(400) + "}", "1"),
        Arguments.of(
            "huge integers differ", "\\boxed{" + "7".repeat(900) + "}", "7".repeat(899) + "8"),
        Arguments.of("400-digit float overflow", "\\boxed{" + "9".repeat(400) + ".5}", "1.5"),
        Arguments.of("long list permuted", "\\boxed{" + list500 + "}", list500Rev),
        Arguments.of(
            "list of ones vs list of twos",
            "\\boxed{" + "1,".repeat(300) + "1}",
            "2,".repeat(300) + "2"),
        Arguments.of("regex bait after number", "5 " + "a".repeat(100_000) + "!", "5"),
        Arguments.of(
            "text wrappers", "\\boxed{" + "\\text{".repeat(300) + "a" + "}".repeat(300) + "}", "a"),
        Arguments.of("huge exponent on variable", "\\boxed{x^{99999999}}", "x^{99999999}+1"),
        Arguments.of("division by zero", "\\boxed{1/0}", "0/0"),
        Arguments.of("implicit product chain", "\\boxed{" + "\\frac{1}{3}".repeat(90) + "}", "0"),
        Arguments.of("lone surrogates", "\\boxed{\uD800\uDC00\uD800}", "\uDFFF"),
        Arguments.of("10 MB ground truth", "\\boxed{1}", "1".repeat(10_000_000)),
        Arguments.of("null response", null, "1"),
        Arguments.of("null ground truth", "\\boxed{1}", null),
        Arguments.of("left right soup", "\\boxed{" + "\\left(".repeat(2000) + "}", "1"),
        Arguments.of(
            "many variables", "\\boxed{abcdefghijklmnopqrstuvwxyz}", "zyxwvutsrqponmlkjihgfedcba"),
        Arguments.of("last-number scan over digits and commas", "1,".repeat(500_000), "1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void everyRewardTypeReturnsWithinTheLimit(String name, String response, String truth) {
    for (String type : List.of("math", "exact", "normalized", "choice")) {
      RewardFunction reward =
          new WeightedReward(new RewardSpec(type, true, null, null, null, null, null), LIMITS);
      Verdict v = assertTimeoutPreemptively(WITHIN, () -> reward.score(response, truth, -1));
      assertThat(v).as(type).isNotNull();
      assertThat(v.status()).as(type).isNotEqualTo(Verdict.Status.VERIFIER_ERROR);
      assertThat(v.reward()).as(type).isBetween(0.0, 1.0);
    }
  }

  @ParameterizedTest(name = "deterministic: {0}")
  @MethodSource("inputs")
  void outcomeIsTheSameOnEveryCall(String name, String response, String truth) {
    RewardFunction reward = new WeightedReward(RewardSpec.math(true), LIMITS);
    Verdict first = reward.score(response, truth, -1);
    Verdict second = reward.score(response, truth, -1);
    assertThat(second).isEqualTo(first);
  }
}
