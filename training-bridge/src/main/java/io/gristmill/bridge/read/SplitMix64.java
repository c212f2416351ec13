package io.gristmill.bridge.read;

/**
 * The SplitMix64 generator and the seed derivation and permutation built on it. The Python reader
 * ({@code training-bridge/python/gristmill_shards/plan.py}) implements the same three functions bit
 * for bit, so both readers produce the same order for the same seed.
 */
final class SplitMix64 {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  long next() {
    state += GOLDEN;
    return mix(state);
  }

  /** A uniform-enough integer in {@code [0, bound)}: {@code (next() >>> 1) % bound}. */
  int nextBounded(int bound) {
    return (int) ((next() >>> 1) % bound);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A seed derived from parts: {@code h = mix((h ^ p) + GOLDEN)} over the parts, from h = 0. */
  static long derive(long... parts) {
    long h = 0;
    for (long p : parts) {
      h = mix((h ^ p) + GOLDEN);
    }
    return h;
  }

  /** Fisher-Yates from the top: for i = n-1..1 swap a[i] with a[nextBounded(i + 1)]. */
  static int[] permutation(int n, long seed) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    SplitMix64 rng = new SplitMix64(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextBounded(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
