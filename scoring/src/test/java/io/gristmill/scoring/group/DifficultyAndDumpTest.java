package io.gristmill.scoring.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DifficultyAndDumpTest {
  @Test
  void wilsonIntervalAndBuckets() {
    // p = 2/4, z = 1.96: centre = (0.5 + 0.4802) / 1.9604 = 0.5; half = 1.96 *
    // sqrt(0.0625 + 0.060025) / 1.9604 = 0.349954..
    Difficulty d = Difficulty.of(4, 2, 1.96, 0.0, 1.0);
    assertThat(d.passRate()).isEqualTo(0.5);
    assertThat(d.wilsonLow()).isCloseTo(0.150036, within(1e-5));
    assertThat(d.wilsonHigh()).isCloseTo(0.849964, within(1e-5));
    assertThat(d.bucket()).isEqualTo(Difficulty.INTERMEDIATE);
    assertThat(Difficulty.of(4, 0, 1.96, 0.0, 1.0).bucket()).isEqualTo(Difficulty.TOO_HARD);
    assertThat(Difficulty.of(4, 4, 1.96, 0.0, 1.0).bucket()).isEqualTo(Difficulty.TOO_EASY);
    assertThat(Difficulty.of(10, 1, 1.96, 0.1, 0.9).bucket()).isEqualTo(Difficulty.TOO_HARD);
    assertThat(Difficulty.of(10, 9, 1.96, 0.1, 0.9).bucket()).isEqualTo(Difficulty.TOO_EASY);
    Difficulty zero = Difficulty.of(4, 0, 1.96, 0.0, 1.0);
    assertThat(zero.wilsonLow()).isZero();
    assertThat(zero.wilsonHigh()).isCloseTo(3.8416 / 7.8416, within(1e-9));
  }

  @Test
  void dumpWeightsMatchAHandComputedExample() {
    // N = 30 + 10 = 40; ln(41) = 3.713572
    // UCB_a = 0.2 + 1 * sqrt(2 * 3.713572 / 31) = 0.2 + 0.489475 = 0.689475
    // UCB_b = 0.5 + 1 * sqrt(2 * 3.713572 / 11) = 0.5 + 0.821702 = 1.321702
    // tau = 0.5: w_b = 1 / (1 + exp((UCB_a - UCB_b) / tau)) = 0.779792
    List<DumpWeights.Weight> w =
        DumpWeights.compute(
            List.of(
                new DumpWeights.SourceStat("a", 0.2, 30), new DumpWeights.SourceStat("b", 0.5, 10)),
            1.0,
            0.5);
    assertThat(w.get(0).ucb()).isCloseTo(0.689475, within(1e-6));
    assertThat(w.get(1).ucb()).isCloseTo(1.321702, within(1e-6));
    double expectedB = 1 / (1 + Math.exp((0.689475 - 1.321702) / 0.5));
    assertThat(w.get(1).weight()).isCloseTo(expectedB, within(1e-5));
    assertThat(w.get(1).weight()).isCloseTo(0.779792, within(1e-6));
    assertThat(w.get(0).weight() + w.get(1).weight()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void withoutExplorationTheWeightsFollowTheMeans() {
    List<DumpWeights.Weight> w =
        DumpWeights.compute(
            List.of(
                new DumpWeights.SourceStat("a", 0.1, 5), new DumpWeights.SourceStat("b", 0.1, 500)),
            0.0,
            1.0);
    assertThat(w.get(0).weight()).isCloseTo(0.5, within(1e-12));
  }
}
