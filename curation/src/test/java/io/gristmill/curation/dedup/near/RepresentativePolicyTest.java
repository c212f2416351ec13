package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepresentativePolicyTest {
  private final RepresentativePolicy policy =
      new RepresentativePolicy(new RepresentativeConfig(List.of("gold", "silver"), "q", null));

  @Test
  void priorThenSourceThenQualityThenLengthThenId() {
    var prior = policy.rank(true, "web", null, 1, "z");
    var gold = policy.rank(false, "gold", 0.1, 5, "y");
    var silverHigh = policy.rank(false, "silver", 0.9, 5, "x");
    var silverLow = policy.rank(false, "silver", 0.2, 500, "w");
    var unlisted = policy.rank(false, "web", 1.0, 900, "a");
    assertThat(RepresentativePolicy.choose(List.of(unlisted, silverLow, silverHigh, gold, prior)))
        .isEqualTo(prior);
    assertThat(RepresentativePolicy.choose(List.of(unlisted, silverLow, silverHigh, gold)))
        .isEqualTo(gold);
    assertThat(RepresentativePolicy.choose(List.of(unlisted, silverLow, silverHigh)))
        .isEqualTo(silverHigh);
  }

  @Test
  void missingQualityLosesThenLongerThenSmallerId() {
    var noQ = policy.rank(false, "gold", null, 100, "a");
    var q = policy.rank(false, "gold", 0.0, 1, "b");
    assertThat(RepresentativePolicy.choose(List.of(noQ, q))).isEqualTo(q);
    var longer = policy.rank(false, "gold", null, 100, "c");
    var shorter = policy.rank(false, "gold", null, 10, "a");
    assertThat(RepresentativePolicy.choose(List.of(shorter, longer))).isEqualTo(longer);
    var twinB = policy.rank(false, "gold", null, 10, "b");
    assertThat(RepresentativePolicy.choose(List.of(twinB, shorter))).isEqualTo(shorter);
  }

  @Test
  void shorterFirstWhenConfigured() {
    var p = new RepresentativePolicy(new RepresentativeConfig(null, null, false));
    var longer = p.rank(false, "s", null, 100, "a");
    var shorter = p.rank(false, "s", null, 10, "b");
    assertThat(RepresentativePolicy.choose(List.of(longer, shorter))).isEqualTo(shorter);
  }
}
