package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JaccardTest {
  @Test
  void exactOnSortedSets() {
    assertThat(Jaccard.exact(new long[] {1, 2, 3, 4}, new long[] {2, 3, 4, 5})).isEqualTo(0.6);
    assertThat(Jaccard.exact(new long[] {-5, 1}, new long[] {-5, 1})).isEqualTo(1.0);
    assertThat(Jaccard.exact(new long[] {1}, new long[] {2})).isZero();
    assertThat(Jaccard.exact(new long[0], new long[0])).isZero();
  }

  @Test
  void estimatedCountsEqualPositions() {
    assertThat(Jaccard.estimated(new long[] {1, 2, 3, 4}, new long[] {1, 9, 3, 9})).isEqualTo(0.5);
    assertThatThrownBy(() -> Jaccard.estimated(new long[] {1}, new long[] {1, 2}))
        .hasMessage("Cannot compare signatures: lengths differ, got 1 and 2");
  }
}
