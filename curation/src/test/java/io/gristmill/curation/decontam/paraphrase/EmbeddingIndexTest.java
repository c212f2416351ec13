package io.gristmill.curation.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingIndexTest {
  private static float[] unit(double... v) {
    double n = 0;
    for (double x : v) {
      n += x * x;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(n));
    }
    return out;
  }

  /** Entry i's vector: the fixture index's entries, each at its own angle in the plane. */
  private static EmbeddingIndex index(ParaphraseIndex p) {
    return EmbeddingIndex.build(
        p,
        texts -> {
          float[][] v = new float[texts.size()][];
          for (int i = 0; i < v.length; i++) {
            double a = i * 0.1;
            v[i] = unit(Math.cos(a), Math.sin(a), 0, 0, 0);
          }
          return v;
        });
  }

  @Test
  void nearestIsTheExactTopKAboveTheCosineFloorNearestFirst() {
    ParaphraseIndex p =
        ParaphraseIndex.build(ParaphraseFixtures.items(), ParaphraseConfig.defaults());
    EmbeddingIndex e = index(p);
    assertThat(e.size()).isEqualTo(p.size());
    assertThat(e.dim()).isEqualTo(5);
    // the query at angle 0.32: nearest entries 3 (0.3), 4 (0.4), 2 (0.2), 5 (0.5), ...
    float[] q = unit(Math.cos(0.32), Math.sin(0.32), 0, 0, 0);
    List<EmbeddingIndex.Hit> top = e.nearest(q, 3, -1);
    assertThat(top).extracting(EmbeddingIndex.Hit::entry).containsExactly(3, 4, 2);
    assertThat(top.get(0).cosine()).isCloseTo(Math.cos(0.02), within(1e-6));
    // cos(0.12) = 0.9928 keeps entries 3, 4 and 2; cos(0.18) = 0.9838 is below 0.99
    assertThat(e.nearest(q, 10, 0.99))
        .extracting(EmbeddingIndex.Hit::entry)
        .containsExactly(3, 4, 2);
    assertThat(e.nearest(unit(0, 0, 1, 0, 0), 3, 0.5)).isEmpty();
    // from precomputed cosines (what the stage gets from one matrix product per chunk)
    float[] cosines = new float[e.size()];
    for (int i = 0; i < cosines.length; i++) {
      for (int j = 0; j < e.dim(); j++) {
        cosines[i] += q[j] * e.vectors()[i * e.dim() + j];
      }
    }
    assertThat(e.nearestByScores(cosines, 3, -1))
        .extracting(EmbeddingIndex.Hit::entry)
        .containsExactly(3, 4, 2);
    assertThatThrownBy(() -> e.nearestByScores(new float[2], 3, 0))
        .hasMessageContaining("one score per entry");
    assertThatThrownBy(() -> e.nearest(new float[] {1, 0}, 3, 0))
        .hasMessageContaining("a vector of size 5");
  }
}
