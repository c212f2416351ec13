package io.gristmill.bridge.read;

/**
 * Where a reader is: the epoch and how many of this rank's rows of that epoch were already
 * returned. Save it with a checkpoint; a reader started from it continues with the next row, with
 * no row repeated or skipped (for the same directory, options and world size).
 */
public record ReaderState(long epoch, long position) {
  public ReaderState {
    if (epoch < 0 || position < 0) {
      throw new IllegalArgumentException(
          "Cannot resume: epoch and position must be >= 0, got " + epoch + ", " + position);
    }
  }

  public static ReaderState start(long epoch) {
    return new ReaderState(epoch, 0);
  }
}
