package io.gristmill.bridge.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.bridge.shard.ShardFixtures;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property-style checks of the reader over shard counts that do not divide the world sizes: every
 * epoch is split exactly and evenly, orders are reproducible, and every saved state resumes
 * exactly.
 */
class ShardReaderPropertyTest extends SparkTestBase {
  static final int ROWS = 103;
  static final int[] SHARDS = {1, 5, 7};
  @TempDir static Path tmp;

  @BeforeAll
  static void writeFixtures() {
    for (int s : SHARDS) {
      ShardFixtures.writeSft(spark, tmp.resolve("s" + s), ROWS, s, 3, 4);
    }
  }

  static List<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (int s : SHARDS) {
      for (int w : new int[] {1, 2, 3, 8}) {
        out.add(Arguments.of(s, w, false, 0));
        out.add(Arguments.of(s, w, true, 0));
        out.add(Arguments.of(s, w, true, 10));
      }
    }
    return out;
  }

  static List<String> read(
      ShardDataset ds, ReaderOptions o, ReaderState from, List<ReaderState> states) {
    List<String> ids = new ArrayList<>();
    try (BatchIterator it = ds.epoch(o, from)) {
      while (it.hasNext()) {
        VectorSchemaRoot b = it.next();
        VarCharVector id = (VarCharVector) b.getVector("id");
        for (int r = 0; r < b.getRowCount(); r++) {
          ids.add(new String(id.get(r), StandardCharsets.UTF_8));
        }
        if (states != null) {
          states.add(it.state());
        }
      }
    }
    return ids;
  }

  @ParameterizedTest(name = "shards={0} world={1} shuffle={2} window={3}")
  @MethodSource("cases")
  void oneEpochIsSplitExactlyAndEvenly(int shards, int world, boolean shuffle, int window) {
    try (ShardDataset ds = ShardDataset.open(tmp.resolve("s" + shards), false)) {
      for (long epoch : new long[] {0, 1}) {
        List<String> all = new ArrayList<>();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int r = 0; r < world; r++) {
          ReaderOptions o = new ReaderOptions(r, world, 42, shuffle, window, 4);
          List<String> ids = read(ds, o, ReaderState.start(epoch), null);
          all.addAll(ids);
          min = Math.min(min, ids.size());
          max = Math.max(max, ids.size());
        }
        assertThat(all).doesNotHaveDuplicates().hasSize(ROWS);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < ROWS; i++) {
          expected.add(String.format("r%05d", i));
        }
        assertThat(new HashSet<>(all)).isEqualTo(expected);
        assertThat(max - min).isLessThanOrEqualTo(1);
      }
    }
  }

  @ParameterizedTest(name = "shards={0} world={1} shuffle={2} window={3}")
  @MethodSource("cases")
  void sameSeedSameOrderAndEveryStateResumesExactly(
      int shards, int world, boolean shuffle, int window) {
    try (ShardDataset ds = ShardDataset.open(tmp.resolve("s" + shards), false)) {
      int rank = world - 1;
      ReaderOptions o = new ReaderOptions(rank, world, 42, shuffle, window, 3);
      List<ReaderState> states = new ArrayList<>();
      List<String> first = read(ds, o, ReaderState.start(2), states);
      assertThat(read(ds, o, ReaderState.start(2), null)).isEqualTo(first);
      for (ReaderState s : states) {
        assertThat(read(ds, o, s, null))
            .as("resume from %s", s)
            .isEqualTo(first.subList((int) s.position(), first.size()));
      }
      for (int p = 0; p <= first.size(); p++) {
        assertThat(read(ds, o, new ReaderState(2, p), null))
            .isEqualTo(first.subList(p, first.size()));
      }
      if (shuffle && (window > 1 || shards > 1) && first.size() > 10) {
        List<String> other = read(ds, o, ReaderState.start(3), null);
        assertThat(other).isNotEqualTo(first);
        ReaderOptions otherSeed = new ReaderOptions(rank, world, 43, shuffle, window, 3);
        assertThat(read(ds, otherSeed, ReaderState.start(2), null)).isNotEqualTo(first);
      }
    }
  }
}
