package io.gristmill.scoring.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GroupStatsTest {
  private static final double EPS = 1e-6;

  @Test
  void grpoAndDrGrpoOnAMixedGroup() {
    // rewards 1,0,0,1: mean 0.5; sample std = sqrt(4*0.25/3) = 0.577350..; population std = 0.5
    GroupStats s = GroupStats.of(new double[] {1, 0, 0, 1}, EPS, true);
    assertThat(s.mean()).isEqualTo(0.5);
    assertThat(s.std()).isCloseTo(0.5773502692, within(1e-9));
    assertThat(s.allEqual()).isFalse();
    assertThat(s.grpo()[0]).isCloseTo(0.5 / (0.5773502692 + EPS), within(1e-9));
    assertThat(s.grpo()[1]).isCloseTo(-0.8660239, within(1e-6));
    assertThat(s.drGrpo()).containsExactly(0.5, -0.5, -0.5, 0.5);

    GroupStats p = GroupStats.of(new double[] {1, 0, 0, 1}, EPS, false);
    assertThat(p.std()).isEqualTo(0.5);
    assertThat(p.grpo()[0]).isCloseTo(0.5 / 0.500001, within(1e-12));
  }

  @Test
  void oneCorrectOfFour() {
    // rewards 1,0,0,0: mean 0.25; population std = sqrt((0.5625 + 3*0.0625)/4) = 0.4330127
    GroupStats s = GroupStats.of(new double[] {1, 0, 0, 0}, 0.0, false);
    assertThat(s.std()).isCloseTo(0.4330127019, within(1e-9));
    assertThat(s.grpo()[0]).isCloseTo(0.75 / 0.4330127019, within(1e-8));
    assertThat(s.grpo()[3]).isCloseTo(-0.25 / 0.4330127019, within(1e-8));
    assertThat(s.drGrpo()).containsExactly(0.75, -0.25, -0.25, -0.25);
  }

  @Test
  void allEqualGroupHasZeroAdvantageAndIsFlaggedForDapo() {
    GroupStats ones = GroupStats.of(new double[] {1, 1, 1}, EPS, true);
    assertThat(ones.allEqual()).isTrue();
    assertThat(ones.std()).isZero();
    assertThat(ones.grpo()).containsExactly(0, 0, 0);
    assertThat(ones.drGrpo()).containsExactly(0, 0, 0);
    assertThat(GroupStats.of(new double[] {0, 0}, EPS, true).allEqual()).isTrue();
  }

  @Test
  void groupOfOneHasNoAdvantage() {
    GroupStats s = GroupStats.of(new double[] {1}, EPS, true);
    assertThat(s.count()).isEqualTo(1);
    assertThat(s.mean()).isEqualTo(1);
    assertThat(s.std()).isZero();
    assertThat(s.allEqual()).isTrue();
    assertThat(s.grpo()).containsExactly(0);
    assertThat(s.drGrpo()).containsExactly(0);
  }

  @Test
  void emptyGroupIsRejected() {
    assertThatThrownBy(() -> GroupStats.of(new double[0], EPS, true))
        .hasMessage("Cannot compute group stats: the group is empty");
  }
}
