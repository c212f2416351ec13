package io.gristmill.curation.dedup.near;

import java.io.Serializable;

/**
 * LSH banding of a MinHash signature into {@code bands} bands of {@code rows} rows. Two texts with
 * Jaccard {@code s} share at least one band with probability {@code 1 - (1 - s^r)^b}.
 */
public record LshBanding(int bands, int rows) implements Serializable {
  private static final int STEPS = 400;

  public LshBanding {
    if (bands < 1 || rows < 1) {
      throw new IllegalArgumentException(
          "Cannot band a signature: bands and rows must be >= 1, got " + bands + "x" + rows);
    }
  }

  /** Probability that a pair of Jaccard {@code s} becomes a candidate. */
  public double probability(double s) {
    return 1.0 - Math.pow(1.0 - Math.pow(s, rows), bands);
  }

  /** Area under the candidate curve below the threshold: the false-positive weight. */
  public double falsePositiveArea(double threshold) {
    return integrate(0.0, threshold, false);
  }

  /** Area above the candidate curve beyond the threshold: the false-negative weight. */
  public double falseNegativeArea(double threshold) {
    return integrate(threshold, 1.0, true);
  }

  private double integrate(double from, double to, boolean complement) {
    double h = (to - from) / STEPS;
    double sum = 0.0;
    for (int i = 0; i <= STEPS; i++) {
      double s = from + i * h;
      double p = complement ? 1.0 - probability(s) : probability(s);
      sum += (i == 0 || i == STEPS) ? p / 2 : p;
    }
    return sum * h;
  }

  /**
   * The (bands, rows) with {@code bands * rows <= numPerm} that minimize {@code fpWeight * FP +
   * fnWeight * FN} at {@code threshold}; ties go to fewer bands (cheaper). Deterministic.
   */
  public static LshBanding choose(double threshold, int numPerm, double fpWeight, double fnWeight) {
    LshBanding best = null;
    double bestErr = Double.MAX_VALUE;
    for (int b = 1; b <= numPerm; b++) {
      for (int r = 1; r * b <= numPerm; r++) {
        LshBanding c = new LshBanding(b, r);
        double err =
            fpWeight * c.falsePositiveArea(threshold) + fnWeight * c.falseNegativeArea(threshold);
        if (err < bestErr - 1e-12) {
          best = c;
          bestErr = err;
        }
      }
    }
    return best;
  }

  /** Equal weights of false positives and false negatives, as datasketch does by default. */
  public static LshBanding choose(double threshold, int numPerm) {
    return choose(threshold, numPerm, 0.5, 0.5);
  }

  /**
   * One 64-bit key per band: the xxHash64 of the band's rows, seeded by the band index, so equal
   * slices in different bands never collide by construction.
   */
  public long[] bandKeys(long[] signature) {
    if (signature.length < bands * rows) {
      throw new IllegalArgumentException(
          "Cannot band a signature of " + signature.length + " values into " + bands + "x" + rows);
    }
    byte[] buf = new byte[rows * 8];
    long[] keys = new long[bands];
    for (int b = 0; b < bands; b++) {
      for (int r = 0; r < rows; r++) {
        WordShingler.putLong(buf, r * 8, signature[b * rows + r]);
      }
      keys[b] = WordShingler.hash(buf, 0, buf.length, b);
    }
    return keys;
  }
}
