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
      implements Serializable {}
}
