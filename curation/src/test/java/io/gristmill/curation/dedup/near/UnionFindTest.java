package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UnionFindTest {
  @Test
  void labelsComponentsBySmallestMember() {
    UnionFind uf = new UnionFind();
    uf.union("d", "c");
    uf.union("c", "b");
    uf.union("x", "y");
    uf.add("z");
    assertThat(uf.components())
        .isEqualTo(Map.of("b", "b", "c", "b", "d", "b", "x", "x", "y", "x", "z", "z"));
  }
}
