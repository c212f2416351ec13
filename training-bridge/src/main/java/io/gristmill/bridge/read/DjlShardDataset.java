package io.gristmill.bridge.read;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.Batchifier;
import ai.djl.util.Progress;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;

/**
 * A DJL {@link Dataset} over one rank's epoch of a shard directory (same order, split and resume as
 * {@link ShardDataset#epoch}). Each {@link Batch} owns a sub-manager of the given manager; close it
 * after the step (DJL's trainer does).
 *
 * <ul>
 *   <li>SFT shards: data {@code [input_ids, attention_mask]}, labels {@code [labels]}, all int32
 *       {@code [batch, longest row]}, padded with {@code padId} (ids), 0 (mask) and -100 (labels);
 *       labels are the ids where the loss mask is 1, else -100.
 *   <li>RL shards: data {@code [prompt_ids, response_ids]} padded with {@code padId}, labels {@code
 *       [advantage, reward]} float32 {@code [batch]}.
 * </ul>
 */
public final class DjlShardDataset implements Dataset {
  public static final int IGNORE_INDEX = -100;
  private final ShardDataset shards;
  private final ReaderOptions options;
  private final ReaderState start;
  private final int padId;
  private volatile ReaderState last;

  public DjlShardDataset(ShardDataset shards, ReaderOptions options, ReaderState start, int padId) {
    this.shards = shards;
    this.options = options;
    this.start = start;
    this.padId = padId;
    this.last = start;
  }

  /** The reader state after the last batch handed out; save it to resume. */
  public ReaderState state() {
    return last;
  }

  @Override
  public void prepare(Progress progress) {
    // Shards are already on disk and verified when the ShardDataset was opened.
  }

  @Override
  public Iterable<Batch> getData(NDManager manager) {
    return () -> new BatchIter(manager);
  }

  private final class BatchIter implements Iterator<Batch> {
    private final NDManager manager;
    private final BatchIterator it;
    private final long total;

    BatchIter(NDManager manager) {
      this.manager = manager;
      this.it = shards.epoch(options, start);
      this.total = it.epochRows();
      if (!it.hasNext()) {
        it.close();
      }
    }

    @Override
    public boolean hasNext() {
      return it.hasNext();
    }

    @Override
    public Batch next() {
      if (!it.hasNext()) {
        throw new NoSuchElementException();
      }
      VectorSchemaRoot b = it.next();
      NDManager sub = manager.newSubManager();
      Batch batch = b.getVector("input_ids") != null ? sft(sub, b) : rl(sub, b);
      last = it.state();
      if (!it.hasNext()) {
        it.close();
      }
      return batch;
    }

    private Batch sft(NDManager sub, VectorSchemaRoot b) {
      ListVector ids = (ListVector) b.getVector("input_ids");
      ListVector mask = (ListVector) b.getVector("loss_mask");
      int rows = b.getRowCount();
      int width = width(ids, rows);
      int[] x = new int[rows * width];
      int[] att = new int[rows * width];
      int[] labels = new int[rows * width];
      java.util.Arrays.fill(x, padId);
      java.util.Arrays.fill(labels, IGNORE_INDEX);
      FieldVector idv = ids.getDataVector();
      FieldVector mv = mask.getDataVector();
      for (int r = 0; r < rows; r++) {
        int s = ids.getElementStartIndex(r);
        int e = ids.getElementEndIndex(r);
        int ms = mask.getElementStartIndex(r);
        for (int k = 0; k < e - s; k++) {
          int id = ((org.apache.arrow.vector.IntVector) idv).get(s + k);
          x[r * width + k] = id;
          att[r * width + k] = 1;
          if (((org.apache.arrow.vector.TinyIntVector) mv).get(ms + k) == 1) {
            labels[r * width + k] = id;
          }
        }
      }
      Shape shape = new Shape(rows, width);
      NDList data = new NDList(sub.create(x, shape), sub.create(att, shape));
      NDList label = new NDList(sub.create(labels, shape));
      return new Batch(
          sub, data, label, rows, Batchifier.STACK, Batchifier.STACK, it.state().position(), total);
    }

    private Batch rl(NDManager sub, VectorSchemaRoot b) {
      int rows = b.getRowCount();
      NDList data =
          new NDList(
              padded(sub, (ListVector) b.getVector("prompt_ids"), rows),
              padded(sub, (ListVector) b.getVector("response_ids"), rows));
      float[] adv = new float[rows];
      float[] reward = new float[rows];
      for (int r = 0; r < rows; r++) {
        adv[r] = ((Float4Vector) b.getVector("advantage")).get(r);
        reward[r] = ((Float4Vector) b.getVector("reward")).get(r);
      }
      NDList label = new NDList(sub.create(adv), sub.create(reward));
      return new Batch(
          sub, data, label, rows, Batchifier.STACK, Batchifier.STACK, it.state().position(), total);
    }

    private ai.djl.ndarray.NDArray padded(NDManager sub, ListVector v, int rows) {
      int width = width(v, rows);
      int[] x = new int[rows * width];
      java.util.Arrays.fill(x, padId);
      org.apache.arrow.vector.IntVector d = (org.apache.arrow.vector.IntVector) v.getDataVector();
      for (int r = 0; r < rows; r++) {
        int s = v.getElementStartIndex(r);
        int e = v.getElementEndIndex(r);
        for (int k = 0; k < e - s; k++) {
          x[r * width + k] = d.get(s + k);
        }
      }
      return sub.create(x, new Shape(rows, width));
    }

    private int width(ListVector v, int rows) {
      int w = 1;
      for (int r = 0; r < rows; r++) {
        w = Math.max(w, v.getElementEndIndex(r) - v.getElementStartIndex(r));
      }
      return w;
    }
  }
}
