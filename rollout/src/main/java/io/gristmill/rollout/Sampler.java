package io.gristmill.rollout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits on the host: greedy at temperature 0 (first maximum),
 * else temperature, top-k and top-p (nucleus) filtering and a draw from the row's own random
 * stream. Pure Java, so a seeded stream gives the same choice on any device.
 */
final class Sampler {
  private Sampler() {}

  /** The chosen id. {@code v} logits start at {@code off} in {@code flat}. */
  static int choose(
      float[] flat,
      int off,
      int v,
      double temperature,
      int topK,
      double topP,
      SplittableRandom rng) {
    if (temperature == 0.0) {
      int best = 0;
      float bestVal = flat[off];
      for (int i = 1; i < v; i++) {
        if (flat[off + i] > bestVal) {
          bestVal = flat[off + i];
          best = i;
        }
      }
      return best;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < v; i++) {
      max = Math.max(max, flat[off + i]);
    }
    double[] p = new double[v];
    double sum = 0;
    for (int i = 0; i < v; i++) {
      p[i] = Math.exp((flat[off + i] - max) / temperature);
      sum += p[i];
    }
    for (int i = 0; i < v; i++) {
      p[i] /= sum;
    }
    if (topK <= 0 && topP >= 1.0) {
      return draw(p, identity(v), v, 1.0, rng);
    }
    // candidates sorted by probability, highest first; ties by id for determinism
    double cutoff = topP < 1.0 && topK <= 0 ? (1.0 - topP) / Math.max(1, v - 1) : 0.0;
    Integer[] idx =
        java.util.stream.IntStream.range(0, v)
            .filter(i -> p[i] >= cutoff)
            .boxed()
            .toArray(Integer[]::new);
    Arrays.sort(idx, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
    int n = topK > 0 ? Math.min(topK, idx.length) : idx.length;
    double kept = 0;
    for (int i = 0; i < n; i++) {
      kept += p[idx[i]];
    }
    if (topP < 1.0) {
      double renorm = 0;
      int m = 0;
      while (m < n) {
        renorm += p[idx[m]];
        m++;
        if (renorm / kept >= topP) {
          break;
        }
      }
      n = m;
      kept = renorm;
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = idx[i];
    }
    return draw(p, order, n, kept, rng);
  }

  private static int draw(double[] p, int[] order, int n, double mass, SplittableRandom rng) {
    double r = rng.nextDouble() * mass;
    double c = 0;
    for (int i = 0; i < n; i++) {
      c += p[order[i]];
      if (r < c) {
        return order[i];
      }
    }
    return order[n - 1];
  }

  private static int[] identity(int v) {
    int[] o = new int[v];
    for (int i = 0; i < v; i++) {
      o[i] = i;
    }
    return o;
  }

  /** log softmax(logits / T)[id]; T = 0 is treated as 1 (the model's own distribution). */
  static double logSoftmaxAt(float[] logits, int id, double temperature) {
    return logSoftmaxAt(logits, 0, logits.length, id, temperature);
  }

  static double logSoftmaxAt(float[] flat, int off, int v, int id, double temperature) {
    double t = temperature == 0.0 ? 1.0 : temperature;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < v; i++) {
      max = Math.max(max, flat[off + i] / t);
    }
    double sum = 0;
    for (int i = 0; i < v; i++) {
      sum += Math.exp(flat[off + i] / t - max);
    }
    return flat[off + id] / t - max - Math.log(sum);
  }
}
