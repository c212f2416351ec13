package io.gristmill.bridge.read;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

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
  private TransferPair[] windowPairs;
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
    for (int j = 0; j < n; j++) {
      copyRow(position + j, j);
    }
    out.setRowCount(n);
    position += n;
    return out;
  }

  private void copyRow(long p, int to) {
    if (windowRoot == null) {
      long[] at = plan.locate(p);
      source.copy((int) at[0], at[1], out, to);
      return;
    }
    long w = p / plan.window();
    if (w != loadedWindow) {
      loadWindow(w);
    }
    int k = windowPerm[(int) (p % plan.window())];
    for (TransferPair tp : windowPairs) {
      tp.copyValueSafe(k, to);
    }
  }

  private void loadWindow(long w) {
    for (FieldVector v : windowRoot.getFieldVectors()) {
      v.reset();
    }
    windowPerm = plan.windowPermutation(w);
    long first = w * plan.window();
    for (int i = 0; i < windowPerm.length; i++) {
      long[] at = plan.locate(first + i);
      source.copy((int) at[0], at[1], windowRoot, i);
    }
    windowRoot.setRowCount(windowPerm.length);
    if (windowPairs == null) {
      windowPairs = new TransferPair[out.getFieldVectors().size()];
      for (int i = 0; i < windowPairs.length; i++) {
        windowPairs[i] = windowRoot.getVector(i).makeTransferPair(out.getVector(i));
      }
    }
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
