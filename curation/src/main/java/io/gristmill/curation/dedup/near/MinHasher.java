package io.gristmill.curation.dedup.near;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MinHash signatures over 64-bit shingle hashes. Permutation {@code i} maps a shingle hash {@code
 * x} to {@code mix((x ^ b_i) * a_i) >>> 1} with odd {@code a_i}: a 63-bit hash value, never
 * negative, so the per-permutation minimum is taken without a branch (the difference of two such
 * values cannot overflow), which the JIT compiles to vector instructions. Same seed and size give
 * the same signature on every machine. Immutable and thread-safe.
 */
public final class MinHasher implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Names the hash family in saved state; signatures of another family are not comparable. */
  public static final String FAMILY = "xxh64-mix63";

  private final long[] mul;
  private final long[] xor;

  public MinHasher(int numPerm, long seed) {
    if (numPerm < 1) {
      throw new IllegalArgumentException(
          "Cannot build MinHasher: numPerm must be >= 1, got " + numPerm);
    }
    SplittableRandom r = new SplittableRandom(seed);
    mul = new long[numPerm];
    xor = new long[numPerm];
    for (int i = 0; i < numPerm; i++) {
      mul[i] = r.nextLong() | 1L;
      xor[i] = r.nextLong();
    }
  }

  public int numPerm() {
    return mul.length;
  }

  /** The signature of a shingle set, or null when the set is empty (never banded or merged). */
  public long[] signature(long[] shingles) {
    if (shingles.length == 0) {
      return null;
    }
    int k = mul.length;
    long[] sig = new long[k];
    Arrays.fill(sig, Long.MAX_VALUE);
    for (long x : shingles) {
      for (int i = 0; i < k; i++) {
        long v = (x ^ xor[i]) * mul[i];
        v = (v ^ (v >>> 32)) >>> 1;
        long s = sig[i];
        long d = v - s;
        sig[i] = s + (d & (d >> 63));
      }
    }
    return sig;
  }
}
