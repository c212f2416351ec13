package io.gristmill.rollout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws the next token of one row on the host from probabilities computed on the device (softmax of
 * logits / temperature): optional top-k and top-p (nucleus) truncation, then one draw from the
 * row's own random stream. Greedy decoding takes the device's argmax instead. No exponentials run
 * here, so the host cost per step is a pass over the vocabulary.
 */
final class Sampler {
  private Sampler() {}

  /** The chosen id. {@code v} probabilities start at {@code off} in {@code probs}. */
  static int draw(float[] probs, int off, int v, int topK, double topP, SplittableRandom rng) {
    if (topK <= 0 && topP >= 1.0) {
      double r = rng.nextDouble();
      double c = 0;
      int last = 0;
      for (int i = 0; i < v; i++) {
        float p = probs[off + i];
        if (p > 0) {
          c += p;
          last = i;
          if (r < c) {
            return i;
          }
        }
      }
      return last;
    }
    // candidates, highest probability first (ties by id); below the top-p cutoff a token can
    // never be in the nucleus, so it is not sorted (as llama2.c does)
    double cutoff = topP < 1.0 && topK <= 0 ? (1.0 - topP) / Math.max(1, v - 1) : 0.0;
    int n = 0;
    long[] keyed = new long[v];
    for (int i = 0; i < v; i++) {
      float p = probs[off + i];
      if (p > 0 && p >= cutoff) {
        // sort key: descending probability bits, then ascending id
        keyed[n++] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(p)) << 32) | i;
      }
    }
    Arrays.sort(keyed, 0, n);
    int m = topK > 0 ? Math.min(topK, n) : n;
    double kept = 0;
    for (int i = 0; i < m; i++) {
      kept += probs[off + (int) keyed[i]];
    }
    if (topP < 1.0) {
      double sum = 0;
      int j = 0;
      while (j < m) {
        sum += probs[off + (int) keyed[j]];
        j++;
        if (sum / kept >= topP) {
          break;
        }
      }
      m = j;
      kept = sum;
    }
    double r = rng.nextDouble() * kept;
    double c = 0;
    for (int i = 0; i < m; i++) {
      c += probs[off + (int) keyed[i]];
      if (r < c) {
        return (int) keyed[i];
      }
    }
    return (int) keyed[Math.max(0, m - 1)];
  }

  /** log softmax(logits / T)[id] in double; T = 0 is treated as 1. */
  static double logSoftmaxAt(float[] logits, int id, double temperature) {
    double t = temperature == 0.0 ? 1.0 : temperature;
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l / t);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l / t - max);
    }
    return logits[id] / t - max - Math.log(sum);
  }
}
