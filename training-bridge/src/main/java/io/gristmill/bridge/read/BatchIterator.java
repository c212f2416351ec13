package io.gristmill.bridge.read;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One rank's batches of one epoch, in the order of {@link ReadPlan}. {@link #next()} returns the
 * same {@link VectorSchemaRoot} each time, refilled: read it before the next call. {@link #state()}
 * is the position after the last returned batch; a new iterator started from it continues exactly.
 * Close it (try-with-resources) to free its Arrow memory.
 */
public final class BatchIterator implements Iterator<VectorSchemaRoot>, AutoCloseable {
  private final ReadPlan plan;
  private final long epoch;
  private final int batchSize;
  private final BufferAllocator allocator;
  private final ShardSource source;
  private final VectorSchemaRoot out;
  private final VectorSchemaRoot windowRoot;
  private long loadedWindow = -1;
  private int[] windowPerm;
  private long position;

  BatchIterator(
      ShardSource source,
      Schema schema,
      ReadPlan plan,
      ReaderOptions options,
      ReaderState state,
      BufferAllocator allocator) {
    this.plan = plan;
    this.epoch = state.epoch();
    this.batchSize = options.batchSize();
    this.allocator = allocator;
    this.source = source;
    this.position = Math.min(state.position(), plan.length());
    this.out = VectorSchemaRoot.create(schema, allocator);
    this.out.allocateNew();
    this.windowRoot = plan.window() > 1 ? VectorSchemaRoot.create(schema, allocator) : null;
    if (windowRoot != null) {
      windowRoot.allocateNew();
    }
  }

  /** Rows this rank reads in this epoch in all (from position 0). */
  public long epochRows() {
    return plan.length();
  }

  /** The state after the last batch returned; save it to resume. */
  public ReaderState state() {
    return new ReaderState(epoch, position);
  }

  @Override
  public boolean hasNext() {
    return position < plan.length();
  }

  @Override
  public VectorSchemaRoot next() {
    if (!hasNext()) {
      throw new NoSuchElementException("epoch " + epoch + " is finished");
    }
    int n = (int) Math.min(batchSize, plan.length() - position);
    for (FieldVector v : out.getFieldVectors()) {
      v.reset();
    }
    if (windowRoot == null) {
      copyRun(position, n, out);
    } else {
      for (int j = 0; j < n; j++) {
        copyShuffled(position + j, j);
      }
    }
    out.setRowCount(n);
    position += n;
    return out;
  }

  /** Copies the unshuffled rows {@code [p, p + n)} of this rank to rows {@code 0..n-1} of dst. */
  private void copyRun(long p, int n, VectorSchemaRoot dst) {
    int done = 0;
    while (done < n) {
      long[] at = plan.locate(p + done);
      long leftInShard = plan.runLength(p + done);
      int want = (int) Math.min(n - done, leftInShard);
      done += source.copy((int) at[0], at[1], want, dst, done);
    }
  }

  private void copyShuffled(long p, int to) {
    long w = p / plan.window();
    if (w != loadedWindow) {
      loadWindow(w);
    }
    int k = windowPerm[(int) (p % plan.window())];
    for (int i = 0; i < out.getFieldVectors().size(); i++) {
      VectorRanges.copy(windowRoot.getVector(i), k, out.getVector(i), to, 1);
    }
  }

  private void loadWindow(long w) {
    for (FieldVector v : windowRoot.getFieldVectors()) {
      v.reset();
    }
    windowPerm = plan.windowPermutation(w);
    copyRun(w * plan.window(), windowPerm.length, windowRoot);
    windowRoot.setRowCount(windowPerm.length);
    loadedWindow = w;
  }

  @Override
  public void close() {
    try {
      source.close();
    } finally {
      out.close();
      if (windowRoot != null) {
        windowRoot.close();
      }
      allocator.close();
    }
  }
}
