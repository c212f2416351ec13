package io.gristmill.bridge.read;

import java.util.Arrays;

/**
 * The order in which one rank reads one epoch; pure arithmetic, no I/O.
 *
 * <ol>
 *   <li>Shards are put in a per-epoch order: a permutation seeded by {@code derive(seed, epoch)}
 *       (identity without shuffle). Their rows, concatenated, form the epoch's global stream of
 *       {@code N} rows.
 *   <li>Rank {@code r} of {@code W} reads global rows {@code [floor(N*r/W), floor(N*(r+1)/W))}:
 *       exact, disjoint and balanced to one row, for any shard count.
 *   <li>With a shuffle window {@code B > 1}, the rank's rows are cut into windows of {@code B} and
 *       each window is permuted by {@code derive(seed, epoch, r, window)}.
 * </ol>
 *
 * Because every step is a pure function of (epoch, position), a reader resumes at any position.
 */
final class ReadPlan {
  private final int[] shardOrder;
  private final long[] cumulative;
  private final long start;
  private final long length;
  private final long seed;
  private final long epoch;
  private final int rank;
  private final int window;

  ReadPlan(long[] shardRows, ReaderOptions o, long epoch) {
    int n = shardRows.length;
    this.shardOrder =
        o.shuffle() ? SplitMix64.permutation(n, SplitMix64.derive(o.seed(), epoch)) : identity(n);
    this.cumulative = new long[n + 1];
    for (int i = 0; i < n; i++) {
      cumulative[i + 1] = cumulative[i] + shardRows[shardOrder[i]];
    }
    long total = cumulative[n];
    this.start = total * o.rank() / o.worldSize();
    long end = total * (o.rank() + 1L) / o.worldSize();
    this.length = end - start;
    this.seed = o.seed();
    this.epoch = epoch;
    this.rank = o.rank();
    this.window = o.shuffle() && o.shuffleWindow() > 1 ? o.shuffleWindow() : 1;
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /** Rows this rank reads in the epoch. */
  long length() {
    return length;
  }

  int window() {
    return window;
  }

  /** The permutation of window {@code w} (identity when not shuffling inside windows). */
  int[] windowPermutation(long w) {
    int len = (int) Math.min(window, length - w * window);
    return window == 1
        ? identity(len)
        : SplitMix64.permutation(len, SplitMix64.derive(seed, epoch, rank, w));
  }

  /**
   * The source of this rank's {@code p}-th row before in-window shuffling: {@code {shard index in
   * the manifest, row in that shard}}.
   */
  long[] locate(long p) {
    long g = start + p;
    int i = Arrays.binarySearch(cumulative, g);
    int pos = i >= 0 ? i : -i - 2;
    while (cumulative[pos + 1] <= g) {
      pos++;
    }
    return new long[] {shardOrder[pos], g - cumulative[pos]};
  }

  /** How many rows from {@code p} on come from the same shard, consecutively. */
  long runLength(long p) {
    long g = start + p;
    int i = Arrays.binarySearch(cumulative, g);
    int pos = i >= 0 ? i : -i - 2;
    while (cumulative[pos + 1] <= g) {
      pos++;
    }
    return Math.min(cumulative[pos + 1] - g, length - p);
  }

  /** The source position (before shuffling) of the row returned at position {@code p}. */
  long sourcePosition(long p) {
    long w = p / window;
    return w * window + windowPermutation(w)[(int) (p % window)];
  }
}
