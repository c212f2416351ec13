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

  @Test
  void sortKeyOrdersLikeTheComparator() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    double[] qualities = {
      Double.MAX_VALUE, -Double.MAX_VALUE, 0.0, -0.0, 1.5, -1.5, 1e-300, -1e-300, Double.MIN_VALUE
    };
    long[] lengths = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 42, -42};
    List<RepresentativePolicy.RankKey> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      keys.add(
          new RepresentativePolicy.RankKey(
              r.nextInt(2),
              r.nextInt(4),
              r.nextBoolean() ? qualities[r.nextInt(qualities.length)] : r.nextDouble(-5, 5),
              r.nextBoolean() ? lengths[r.nextInt(lengths.length)] : r.nextLong(),
              "id" + r.nextInt(50)));
    }
    List<RepresentativePolicy.RankKey> byOrder = new java.util.ArrayList<>(keys);
    byOrder.sort(RepresentativePolicy.ORDER);
    List<RepresentativePolicy.RankKey> byKey = new java.util.ArrayList<>(keys);
    byKey.sort(java.util.Comparator.comparing(RepresentativePolicy.RankKey::sortKey));
    assertThat(byKey).containsExactlyElementsOf(byOrder);
    for (var k : keys) {
      assertThat(RepresentativePolicy.idOf(k.sortKey())).isEqualTo(k.id());
      assertThat(RepresentativePolicy.isPrior(k.sortKey())).isEqualTo(k.prior() == 0);
    }
  }
}
