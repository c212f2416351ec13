package io.gristmill.curation.dedup.near;

import io.gristmill.core.Errors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Distributed connected components by alternating large-star and small-star (Kiveris et al.,
 * "Connected Components in MapReduce and Beyond"), on string vertex ids. Nothing is collected to
 * the driver. Each partition's edges are first contracted in memory ({@link UnionFind}); then
 * rounds run until the edges form disjoint stars around their smallest ids, which then are the
 * components. The graph of verified edges is small next to the input, so the rounds run on pair
 * RDDs: a round is two plain shuffles, without SQL planning and code generation per query.
 */
public final class ComponentsSparkStage {
  /** Far above the O(log^2 n) rounds the algorithm needs; reaching it is a bug. */
  static final int MAX_ROUNDS = 64;

  /** The input: undirected edges between string vertices. */
  public static final StructType EDGE =
      new StructType()
          .add("src", DataTypes.StringType, false)
          .add("dst", DataTypes.StringType, false);

  static final StructType COMPONENT =
      new StructType()
          .add("node", DataTypes.StringType, false)
          .add("root", DataTypes.StringType, false);

  private ComponentsSparkStage() {}

  /**
   * @param components one row per vertex that has an edge: {@code node}, {@code root} (the smallest
   *     id of its component, the root maps to itself)
   * @param rounds rounds until convergence
   */
  public record Result(Dataset<Row> components, int rounds) {}

  /**
   * Components of the undirected graph given by the string columns {@code src}, {@code dst}, with
   * the session's shuffle partitions.
   */
  public static Result run(Dataset<Row> edges) {
    return run(edges, edges.sparkSession().sessionState().conf().numShufflePartitions());
  }

  /**
   * As {@link #run(Dataset)} with {@code parts} partitions per shuffle: a graph of a few thousand
   * edges runs fastest in one, as Spark's adaptive execution would coalesce it for SQL.
   */
  public static Result run(Dataset<Row> edges, int partitions) {
    return run(edges, partitions, true);
  }

  /** As {@link #run(Dataset, int)}; without {@code contract} only star rounds run (tests). */
  static Result run(Dataset<Row> edges, int partitions, boolean contract) {
    int parts = Math.max(1, partitions);
    JavaPairRDD<String, String> e =
        edges
            .select("src", "dst")
            .javaRDD()
            .filter(r -> !r.getString(0).equals(r.getString(1)))
            .mapToPair(r -> ordered(r.getString(0), r.getString(1)));
    if (contract) {
      // Merged (without a shuffle) into the rounds' partitions first, so each contraction sees as
      // many edges as a partition holds: one partition, and no round needs to run.
      e = e.coalesce(parts).mapPartitionsToPair(ComponentsSparkStage::contract);
    }
    List<JavaPairRDD<String, String>> cached = new ArrayList<>();
    try {
      for (int round = 1; ; round++) {
        e = e.persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(e);
        if (isStarForest(e, parts)) {
          JavaRDD<Row> comp =
              e.flatMap(
                      t ->
                          List.of(
                                  RowFactory.create(t._1(), t._2()),
                                  RowFactory.create(t._2(), t._2()))
                              .iterator())
                  .distinct(parts);
          // Persisted and computed before the rounds' caches are released. Not a local
          // checkpoint: its blocks die with their executor and cannot be recomputed; a lost
          // persisted block is recomputed from the lineage (the rounds), to the same components.
          Dataset<Row> out =
              edges
                  .sparkSession()
                  .createDataFrame(comp, COMPONENT)
                  .persist(StorageLevel.MEMORY_AND_DISK());
          out.count();
          return new Result(out, round);
        }
        if (round == MAX_ROUNDS) {
          throw Errors.componentsDidNotConverge(MAX_ROUNDS);
        }
        e = smallStar(largeStar(e, parts), parts);
      }
    } finally {
      cached.forEach(JavaPairRDD::unpersist);
    }
  }

  /**
   * One partition's edges contracted in memory: each vertex linked to the smallest vertex of its
   * component within the partition, as (vertex, root) for every non-root vertex. The union over
   * partitions has the same components; when the edges fit one partition it is already the star
   * forest and no round of shuffles runs.
   */
  static Iterator<Tuple2<String, String>> contract(Iterator<Tuple2<String, String>> edges) {
    UnionFind uf = new UnionFind();
    edges.forEachRemaining(t -> uf.union(t._1(), t._2()));
    List<Tuple2<String, String>> out = new ArrayList<>();
    uf.components()
        .forEach(
            (v, root) -> {
              if (!v.equals(root)) {
                out.add(new Tuple2<>(v, root));
              }
            });
    return out.iterator();
  }

  /** The edge as (larger, smaller). */
  static Tuple2<String, String> ordered(String a, String b) {
    return a.compareTo(b) > 0 ? new Tuple2<>(a, b) : new Tuple2<>(b, a);
  }

  /**
   * Whether the edges {@code (u > v)} are disjoint stars around their smallest vertex: every {@code
   * u} has exactly one edge and no {@code v} is also a {@code u}. The edges then are the
   * components, and further rounds would not change them; one job instead of comparing the edge
   * sets of two rounds (which also costs an extra round).
   */
  static boolean isStarForest(JavaPairRDD<String, String> e, int parts) {
    // Per vertex: edges as the larger end (leaf) and whether it is the smaller end (centre).
    JavaPairRDD<String, long[]> roles =
        e.flatMapToPair(
            t ->
                List.of(
                        new Tuple2<>(t._1(), new long[] {1, 0}),
                        new Tuple2<>(t._2(), new long[] {0, 1}))
                    .iterator());
    return roles
            .reduceByKey((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}, parts)
            .filter(t -> t._2()[0] > 1 || (t._2()[0] > 0 && t._2()[1] > 0))
            .count()
        == 0;
  }

  /** Each vertex links its larger neighbours to the smallest of itself and its neighbours. */
  static JavaPairRDD<String, String> largeStar(JavaPairRDD<String, String> e, int parts) {
    return e.flatMapToPair(t -> List.of(t, t.swap()).iterator())
        .groupByKey(parts)
        .flatMapToPair(
            g -> {
              String x = g._1();
              String m = x;
              for (String w : g._2()) {
                m = w.compareTo(m) < 0 ? w : m;
              }
              List<Tuple2<String, String>> out = new ArrayList<>();
              for (String w : g._2()) {
                if (w.compareTo(x) > 0) {
                  out.add(new Tuple2<>(w, m));
                }
              }
              return out.iterator();
            })
        .distinct(parts);
  }

  /** Each vertex links itself and its smaller neighbours to the smallest of them. */
  static JavaPairRDD<String, String> smallStar(JavaPairRDD<String, String> e, int parts) {
    return e.mapToPair(t -> ordered(t._1(), t._2()))
        .groupByKey(parts)
        .flatMapToPair(
            g -> {
              String m = null;
              for (String v : g._2()) {
                m = m == null || v.compareTo(m) < 0 ? v : m;
              }
              List<Tuple2<String, String>> out = new ArrayList<>();
              out.add(new Tuple2<>(g._1(), m));
              for (String v : g._2()) {
                if (!v.equals(m)) {
                  out.add(new Tuple2<>(v, m));
                }
              }
              return out.iterator();
            })
        .distinct(parts);
  }
}
