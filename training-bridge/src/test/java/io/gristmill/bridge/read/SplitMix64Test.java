package io.gristmill.bridge.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Pins the generator's outputs. {@code python/tests/test_plan.py} pins the same values, so the Java
 * and Python readers produce the same order.
 */
class SplitMix64Test {
  @Test
  void outputsArePinned() {
    SplitMix64 r = new SplitMix64(0);
    assertThat(r.next()).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(SplitMix64.derive(42, 1)).isEqualTo(GOLDEN_DERIVE);
    assertThat(SplitMix64.permutation(10, 123)).containsExactly(GOLDEN_PERM);
  }

  @Test
  void permutationIsAPermutation() {
    int[] p = SplitMix64.permutation(1000, 9);
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
    assertThat(p).isNotEqualTo(sorted);
  }

  static final long GOLDEN_DERIVE = -914255856146365723L;
  static final int[] GOLDEN_PERM = {5, 2, 6, 9, 8, 1, 0, 4, 3, 7};
}
