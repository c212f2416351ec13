package io.gristmill.curation.decontam.paraphrase;

import io.gristmill.core.Errors;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The unit vectors of a {@link ParaphraseIndex}'s entries (one per entry, same order: an MMLU
 * question indexed also by its last sentence has a vector for each), for the optional embedding
 * signal: {@link #nearest} is an exact scan by dot product (the cosine of unit vectors). Built on
 * the driver with any encoder, broadcast, immutable.
 */
public final class EmbeddingIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] vectors;
  private final int dim;
  private final int size;

  /** An entry near a turn: its position in the {@link ParaphraseIndex} and its cosine. */
  public record Hit(int entry, double cosine) implements Serializable {}

  private EmbeddingIndex(float[] vectors, int dim, int size) {
    this.vectors = vectors;
    this.dim = dim;
    this.size = size;
  }

  /**
   * Encodes the text of every entry of {@code index} with {@code encode} (texts to unit vectors,
   * all of one size).
   */
  public static EmbeddingIndex build(
      ParaphraseIndex index, Function<List<String>, float[][]> encode) {
    List<String> texts = new ArrayList<>(index.size());
    for (ParaphraseIndex.Entry e : index.entries) {
      texts.add(text(e.item));
    }
    float[][] v = texts.isEmpty() ? new float[0][] : encode.apply(texts);
    int dim = v.length == 0 ? 0 : v[0].length;
    float[] flat = new float[v.length * dim];
    for (int i = 0; i < v.length; i++) {
      if (v[i].length != dim) {
        throw Errors.internal(
            "Cannot index embeddings: vector " + i + " has size " + v[i].length + ", not " + dim,
            null);
      }
      System.arraycopy(v[i], 0, flat, i * dim, dim);
    }
    return new EmbeddingIndex(flat, dim, v.length);
  }

  /**
   * The text an item is encoded by: a multiple-choice item by its question alone (a rephrased leak
   * restates the question and rarely all four options; on MMLU sociology, all-MiniLM-L6-v2 gives a
   * rephrasing a mean cosine of 0.86 with its question), any other item by its whole text.
   */
  static String text(io.gristmill.curation.decontam.BenchmarkItem item) {
    return "choice".equals(item.kind()) && item.parts().size() > 1
        ? item.parts().get(0)
        : item.text();
  }

  public int size() {
    return size;
  }

  public int dim() {
    return dim;
  }

  /**
   * The at most {@code topK} entries whose cosine with {@code query} (a unit vector) is at least
   * {@code minCosine}, nearest first (ties: lower entry first).
   */
  public List<Hit> nearest(float[] query, int topK, double minCosine) {
    if (query.length != dim) {
      throw Errors.invalidValue("embedding", query.length, "a vector of size " + dim);
    }
    return select(topK, minCosine, i -> dot(query, i));
  }

  /**
   * As {@link #nearest} from the query's precomputed cosines with every entry ({@code cosines[i]}
   * for entry i, e.g. one row of a matrix product over {@link #vectors()}).
   */
  public List<Hit> nearestByScores(float[] cosines, int topK, double minCosine) {
    if (cosines.length != size) {
      throw Errors.invalidValue("cosines", cosines.length, "one score per entry (" + size + ")");
    }
    return select(topK, minCosine, i -> cosines[i]);
  }

  /** The entries' vectors, row-major ({@link #size()} rows of {@link #dim()}); do not modify. */
  public float[] vectors() {
    return vectors;
  }

  private List<Hit> select(int topK, double minCosine, java.util.function.IntToDoubleFunction at) {
    int[] best = new int[topK];
    double[] cos = new double[topK];
    int nb = 0;
    for (int i = 0; i < size; i++) {
      double c = at.applyAsDouble(i);
      if (c < minCosine || (nb == topK && c <= cos[nb - 1])) {
        continue;
      }
      int slot = nb == topK ? nb - 1 : nb++;
      while (slot > 0 && cos[slot - 1] < c) {
        best[slot] = best[slot - 1];
        cos[slot] = cos[slot - 1];
        slot--;
      }
      best[slot] = i;
      cos[slot] = c;
    }
    List<Hit> out = new ArrayList<>(nb);
    for (int r = 0; r < nb; r++) {
      out.add(new Hit(best[r], cos[r]));
    }
    return out;
  }

  private double dot(float[] query, int i) {
    int off = i * dim;
    // four partial sums: independent additions the JIT can overlap
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = 0;
    for (; j + 3 < dim; j += 4) {
      s0 += query[j] * vectors[off + j];
      s1 += query[j + 1] * vectors[off + j + 1];
      s2 += query[j + 2] * vectors[off + j + 2];
      s3 += query[j + 3] * vectors[off + j + 3];
    }
    for (; j < dim; j++) {
      s0 += query[j] * vectors[off + j];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
