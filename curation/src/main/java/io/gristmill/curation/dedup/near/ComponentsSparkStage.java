package io.gristmill.curation.dedup.near;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import io.gristmill.core.Errors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Distributed connected components by alternating large-star and small-star (Kiveris et al.,
 * "Connected Components in MapReduce and Beyond"), on string vertex ids. Nothing is collected to
 * the driver; each round is checkpointed locally so the plan does not grow. Converged when the
 * edges form disjoint stars around their smallest ids, which then are the components.
 */
public final class ComponentsSparkStage {
  /** Far above the O(log^2 n) rounds the algorithm needs; reaching it is a bug. */
  static final int MAX_ROUNDS = 64;

  private ComponentsSparkStage() {}

  /**
   * @param components one row per vertex that has an edge: {@code node}, {@code root} (the smallest
   *     id of its component, the root maps to itself)
   * @param rounds rounds until convergence
   */
  public record Result(Dataset<Row> components, int rounds) {}

  /** Components of the undirected graph given by the string columns {@code src}, {@code dst}. */
  public static Result run(Dataset<Row> edges) {
    Dataset<Row> e =
        edges
            .where(col("src").notEqual(col("dst")))
            .select(
                greatest(col("src"), col("dst")).as("u"), least(col("src"), col("dst")).as("v"));
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      e = smallStar(largeStar(e)).localCheckpoint();
      if (isStarForest(e)) {
        Dataset<Row> comp =
            e.select(col("u").as("node"), col("v").as("root"))
                .union(e.select(col("v").as("node"), col("v").as("root")))
                .distinct()
                .localCheckpoint();
        return new Result(comp, round);
      }
    }
    throw Errors.componentsDidNotConverge(MAX_ROUNDS);
  }

  /**
   * Whether the edges {@code (u > v)} are disjoint stars around their smallest vertex: every {@code
   * u} has exactly one edge and no {@code v} is also a {@code u}. The edges then are the
   * components, and further rounds would not change them; one job instead of comparing the edge
   * sets of two rounds (which also costs an extra round).
   */
  static boolean isStarForest(Dataset<Row> e) {
    Dataset<Row> leaves = e.groupBy("u").agg(count(lit(1)).as("n"));
    Dataset<Row> centres = e.select(col("v").as("c")).distinct();
    return leaves
        .join(centres, col("u").equalTo(col("c")), "left")
        .where(col("n").gt(1).or(col("c").isNotNull()))
        .isEmpty();
  }

  /** Each vertex links its larger neighbours to the smallest of itself and its neighbours. */
  static Dataset<Row> largeStar(Dataset<Row> e) {
    Dataset<Row> both = e.union(e.select(col("v").as("u"), col("u").as("v")));
    Dataset<Row> m = both.groupBy("u").agg(min("v").as("m"));
    return both.join(m, "u")
        .where(col("v").gt(col("u")))
        .select(col("v").as("u"), least(col("u"), col("m")).as("v"))
        .distinct();
  }

  /** Each vertex links itself and its smaller neighbours to the smallest of them. */
  static Dataset<Row> smallStar(Dataset<Row> e) {
    Dataset<Row> down =
        e.select(greatest(col("u"), col("v")).as("u"), least(col("u"), col("v")).as("v"));
    Dataset<Row> m = down.groupBy("u").agg(min("v").as("m"));
    Dataset<Row> toMin =
        down.join(m, "u")
            .where(col("v").notEqual(col("m")))
            .select(col("v").as("u"), col("m").as("v"));
    return toMin.union(m.select(col("u"), col("m").as("v"))).distinct();
  }
}
