package io.gristmill.curation.dedup.near;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * Orders the members of a near-duplicate cluster; the smallest {@link RankKey} is kept. The key's
 * fields compare in declaration order, so Spark's ordering of a struct of the same fields agrees
 * with {@link #ORDER}; the Spark stage takes {@code min(struct(...))} per cluster.
 */
public final class RepresentativePolicy implements Serializable {
  private static final long serialVersionUID = 1L;
  private final List<String> priority;
  private final boolean preferLonger;

  public RepresentativePolicy(RepresentativeConfig config) {
    this.priority = List.copyOf(config.sourcePriority());
    this.preferLonger = config.preferLonger();
  }

  /**
   * The rank of one member.
   *
   * @param prior whether an earlier snapshot kept the row (such rows always win)
   * @param quality the quality column's value, or null when absent or not a number
   * @param length the compared text's length in characters
   */
  public RankKey rank(boolean prior, String source, Double quality, long length, String id) {
    int p = priority.indexOf(source);
    double q = quality == null || quality.isNaN() ? Double.MAX_VALUE : -quality;
    return new RankKey(
        prior ? 0 : 1, p < 0 ? priority.size() : p, q, preferLonger ? -length : length, id);
  }

  /** The representative of a non-empty list of members. */
  public static RankKey choose(List<RankKey> members) {
    return members.stream().min(ORDER).orElseThrow();
  }

  public static final Comparator<RankKey> ORDER =
      Comparator.comparingInt(RankKey::prior)
          .thenComparingInt(RankKey::sourceRank)
          .thenComparingDouble(RankKey::quality)
          .thenComparingLong(RankKey::length)
          .thenComparing(RankKey::id);

  /**
   * Smaller is better, field by field.
   *
   * @param prior 0 for rows kept by an earlier snapshot, else 1
   * @param sourceRank index in source_priority, or its size when unlisted
   * @param quality the negated quality, {@link Double#MAX_VALUE} when missing
   * @param length the negated length when longer texts are preferred, else the length
   * @param id the row id, the final tie-break
   */
  public record RankKey(int prior, int sourceRank, double quality, long length, String id)
      implements Serializable {
    /**
     * This key as a string whose natural order ({@link String#compareTo}) is {@link #ORDER}:
     * fixed-width hex of the numeric fields, each mapped so that unsigned order is their order,
     * then the id. Graph algorithms that keep the smallest vertex of a component then keep its
     * representative.
     */
    public String sortKey() {
      StringBuilder b = new StringBuilder(SORT_KEY_PREFIX + id.length());
      hex(b, (prior ^ Integer.MIN_VALUE) & 0xFFFFFFFFL, 8);
      hex(b, (sourceRank ^ Integer.MIN_VALUE) & 0xFFFFFFFFL, 8);
      long q = Double.doubleToLongBits(quality);
      hex(b, q ^ ((q >> 63) | Long.MIN_VALUE), 16);
      hex(b, length ^ Long.MIN_VALUE, 16);
      return b.append(id).toString();
    }

    private static void hex(StringBuilder b, long v, int digits) {
      for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
        b.append(Character.forDigit((int) ((v >>> shift) & 0xF), 16));
      }
    }
  }

  /** Characters before the id in a {@link RankKey#sortKey}. */
  static final int SORT_KEY_PREFIX = 48;

  /** How the {@link RankKey#sortKey} of a row kept by an earlier snapshot starts. */
  public static final String PRIOR_KEY_PREFIX = "80000000";

  /** The row id in a {@link RankKey#sortKey}. */
  public static String idOf(String sortKey) {
    return sortKey.substring(SORT_KEY_PREFIX);
  }

  /**
   * Whether a {@link RankKey#sortKey} is of a row kept by an earlier snapshot ({@code prior} 0).
   */
  public static boolean isPrior(String sortKey) {
    return sortKey.startsWith(PRIOR_KEY_PREFIX);
  }
}
