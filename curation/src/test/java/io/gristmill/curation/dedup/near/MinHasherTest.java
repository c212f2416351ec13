package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MinHasherTest {
  private static long[] hashed(long from, long to) {
    SplittableRandom r = new SplittableRandom(99);
    long[] salt = {r.nextLong()};
    return LongStream.range(from, to)
        .map(x -> (x * 0x9E3779B97F4A7C15L) ^ salt[0])
        .sorted()
        .toArray();
  }

  @Test
  void sameSeedSameSignatureAndEmptySetHasNone() {
    long[] s = hashed(0, 50);
    assertThat(new MinHasher(64, 3).signature(s)).isEqualTo(new MinHasher(64, 3).signature(s));
    assertThat(new MinHasher(64, 3).signature(s)).isNotEqualTo(new MinHasher(64, 4).signature(s));
    assertThat(new MinHasher(64, 3).signature(s)).hasSize(64);
    assertThat(new MinHasher(64, 3).signature(new long[0])).isNull();
  }

  @Test
  void estimateTracksExactJaccard() {
    MinHasher h = new MinHasher(256, 42);
    long[] a = hashed(0, 1000);
    for (int shift : new int[] {0, 100, 333, 700, 1000}) {
      long[] b = hashed(shift, 1000 + shift);
      double exact = Jaccard.exact(a, b);
      double est = Jaccard.estimated(h.signature(a), h.signature(b));
      assertThat(est).as("shift %d exact %.3f", shift, exact).isCloseTo(exact, within(0.09));
    }
  }
}
