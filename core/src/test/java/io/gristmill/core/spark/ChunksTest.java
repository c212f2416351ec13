package io.gristmill.core.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunksTest {
  @Test
  void mapsConsecutiveChunksLazilyAndInOrder() {
    List<Integer> sizes = new ArrayList<>();
    Iterator<String> it =
        Chunks.map(
            IntStream.range(0, 7).boxed().iterator(),
            3,
            c -> {
              sizes.add(c.size());
              return c.stream().map(i -> "r" + i).toList();
            });
    assertThat(sizes).isEmpty();
    assertThat(it.next()).isEqualTo("r0");
    assertThat(sizes).containsExactly(3);
    List<String> rest = new ArrayList<>();
    it.forEachRemaining(rest::add);
    assertThat(rest).containsExactly("r1", "r2", "r3", "r4", "r5", "r6");
    assertThat(sizes).containsExactly(3, 3, 1);
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void anEmptyChunkResultMovesOnAndABadSizeFails() {
    Iterator<Integer> it =
        Chunks.map(List.of(1, 2, 3, 4).iterator(), 2, c -> c.get(0) == 1 ? List.of() : c);
    List<Integer> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    assertThat(out).containsExactly(3, 4);
    assertThatThrownBy(() -> Chunks.map(List.of(1).iterator(), 0, c -> c))
        .hasMessage("Cannot chunk rows: size must be at least 1, got 0");
  }
}
