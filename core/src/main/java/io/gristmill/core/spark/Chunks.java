package io.gristmill.core.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A partition's rows handled {@code size} at a time, lazily (one chunk in memory): for executor
 * steps that batch model calls ({@code mapPartitions} with an encoder, a judge, a reward model).
 */
public final class Chunks {
  private Chunks() {}

  /**
   * The outputs of {@code f} over consecutive chunks of at most {@code size} inputs, in order;
   * {@code f} is called only when the previous chunk's outputs are used up.
   */
  public static <T, R> Iterator<R> map(Iterator<T> in, int size, Function<List<T>, List<R>> f) {
    if (size < 1) {
      throw new IllegalArgumentException("Cannot chunk rows: size must be at least 1, got " + size);
    }
    return new Iterator<>() {
      private Iterator<R> chunk = List.<R>of().iterator();

      @Override
      public boolean hasNext() {
        while (!chunk.hasNext() && in.hasNext()) {
          List<T> next = new ArrayList<>(size);
          while (in.hasNext() && next.size() < size) {
            next.add(in.next());
          }
          chunk = f.apply(next).iterator();
        }
        return chunk.hasNext();
      }

      @Override
      public R next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return chunk.next();
      }
    };
  }
}
