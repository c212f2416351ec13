package io.gristmill.curation.dedup.near;

/** Jaccard similarity: exact on shingle sets, estimated from MinHash signatures. */
public final class Jaccard {
  private Jaccard() {}

  /**
   * |A ∩ B| / |A ∪ B| of two sorted arrays of distinct values; 0 when both are empty (empty texts
   * are never similar).
   */
  public static double exact(long[] a, long[] b) {
    if (a.length == 0 && b.length == 0) {
      return 0.0;
    }
    int i = 0;
    int j = 0;
    int inter = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        inter++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (double) inter / (a.length + b.length - inter);
  }

  /** The fraction of equal positions of two signatures of the same length. */
  public static double estimated(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "Cannot compare signatures: lengths differ, got " + a.length + " and " + b.length);
    }
    if (a.length == 0) {
      return 0.0;
    }
    int eq = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        eq++;
      }
    }
    return (double) eq / a.length;
  }
}
