package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LshBandingTest {
  @Test
  void choiceMinimizesWeightedAreas() {
    LshBanding best = LshBanding.choose(0.8, 128);
    assertThat(best.bands() * best.rows()).isLessThanOrEqualTo(128);
    double err = best.falsePositiveArea(0.8) + best.falseNegativeArea(0.8);
    for (int b = 1; b <= 128; b++) {
      for (int r = 1; r * b <= 128; r++) {
        LshBanding c = new LshBanding(b, r);
        assertThat(c.falsePositiveArea(0.8) + c.falseNegativeArea(0.8))
            .as("%dx%d", b, r)
            .isGreaterThanOrEqualTo(err - 1e-12);
      }
    }
    assertThat(best).isEqualTo(new LshBanding(9, 13));
    assertThat(best.probability(0.95)).isGreaterThan(0.99);
    assertThat(best.probability(0.3)).isLessThan(0.01);
  }

  @Test
  void defaultConfigFavoursRecallBecauseCandidatesAreVerified() {
    LshBanding b = NearDedupConfig.defaults().banding();
    assertThat(b).isEqualTo(new LshBanding(14, 9));
    assertThat(b.probability(0.8)).isGreaterThan(0.85);
    assertThat(b.probability(0.9)).isGreaterThan(0.998);
    assertThat(b.probability(0.3)).isLessThan(0.001);
  }

  @Test
  void lowerThresholdGivesFewerRowsPerBand() {
    assertThat(LshBanding.choose(0.5, 128).rows()).isLessThan(LshBanding.choose(0.9, 128).rows());
  }

  @Test
  void weightingFalseNegativesMoreRaisesRecall() {
    LshBanding even = LshBanding.choose(0.8, 128, 0.5, 0.5);
    LshBanding recall = LshBanding.choose(0.8, 128, 0.1, 0.9);
    assertThat(recall.probability(0.8)).isGreaterThan(even.probability(0.8));
  }

  @Test
  void bandKeysDependOnBandContentAndIndex() {
    LshBanding lsh = new LshBanding(2, 2);
    long[] k = lsh.bandKeys(new long[] {1, 2, 1, 2});
    assertThat(k[0]).isNotEqualTo(k[1]);
    assertThat(lsh.bandKeys(new long[] {1, 2, 7, 7})[0]).isEqualTo(k[0]);
    assertThat(lsh.bandKeys(new long[] {1, 3, 1, 2})[0]).isNotEqualTo(k[0]);
  }
}
