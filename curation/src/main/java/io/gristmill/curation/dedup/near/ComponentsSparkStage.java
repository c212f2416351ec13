package io.gristmill.curation.dedup.near;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.min;

import io.gristmill.core.Errors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Distributed connected components by alternating large-star and small-star (Kiveris et al.,
 * "Connected Components in MapReduce and Beyond"), on string vertex ids. Nothing is collected to
 * the driver; each round is checkpointed locally so the plan does not grow. Converges when a round
 * leaves the edge set unchanged; every component is then a star around its smallest id.
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
            .select(greatest(col("src"), col("dst")).as("u"), least(col("src"), col("dst")).as("v"))
            .distinct()
            .localCheckpoint();
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      Dataset<Row> next = smallStar(largeStar(e)).localCheckpoint();
      long changed = next.except(e).count() + e.except(next).count();
      e = next;
      if (changed == 0) {
        Dataset<Row> comp =
            e.select(col("u").as("node"), col("v").as("root"))
                .union(e.select(col("v").as("node"), col("v").as("root")))
                .distinct();
        return new Result(comp, round);
      }
    }
    throw Errors.componentsDidNotConverge(MAX_ROUNDS);
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
