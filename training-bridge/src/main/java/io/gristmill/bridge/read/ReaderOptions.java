package io.gristmill.bridge.read;

import io.gristmill.core.Errors;

/**
 * How one trainer process reads a shard directory.
 *
 * @param rank this process's rank, in {@code [0, worldSize)}
 * @param worldSize the number of processes reading the same directory
 * @param seed the shuffle seed; with the epoch it decides the order
 * @param shuffle whether to shuffle (shard order per epoch, then rows inside windows)
 * @param shuffleWindow rows per shuffle window (a bounded shuffle buffer); 0 or 1: shard order only
 * @param batchSize rows per batch
 */
public record ReaderOptions(
    int rank, int worldSize, long seed, boolean shuffle, int shuffleWindow, int batchSize) {
  public ReaderOptions {
    if (worldSize < 1) {
      throw Errors.readerBadOption("world_size", worldSize, "an integer >= 1");
    }
    if (rank < 0 || rank >= worldSize) {
      throw Errors.readerBadOption("rank", rank, "an integer in [0, " + (worldSize - 1) + "]");
    }
    if (shuffleWindow < 0) {
      throw Errors.readerBadOption("shuffle_window", shuffleWindow, "an integer >= 0");
    }
    if (batchSize < 1) {
      throw Errors.readerBadOption("batch_size", batchSize, "an integer >= 1");
    }
  }

  /** Single process, no shuffle. */
  public static ReaderOptions sequential(int batchSize) {
    return new ReaderOptions(0, 1, 0, false, 0, batchSize);
  }
}
