package io.gristmill.curation.dedup.near;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * LSH candidates and their verification. Nodes with a signature are keyed by band; members of a
 * band bucket become candidate pairs (all pairs up to {@code max_bucket_size} members, else a star
 * around the smallest vertex plus a chain in vertex order, which keeps the bucket connected in
 * linear size); each distinct pair is kept as an edge only if its Jaccard reaches the threshold.
 *
 * <p>While buckets are formed a row is named by a 64-bit vertex: the xxHash64 of its id under a
 * salt ({@link #vertex}), so the shuffle of band keys (one row per band per input row, the largest
 * shuffle of near-dedup) carries two longs per row. Vertices are mapped back to ids for the pairs'
 * endpoints only; the caller checks there that no two ids share a vertex and retries with another
 * salt if they do.
 */
public final class CandidateSparkStage {
  private CandidateSparkStage() {}

  static final StructType PAIR =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("a", DataTypes.LongType, false),
            DataTypes.createStructField("b", DataTypes.LongType, false)
          });

  /** The 64-bit vertex of a row id under {@code salt}, masked to {@code bits} (tests use few). */
  static Column vertex(Column id, long salt, int bits) {
    Column h = xxhash64(lit(salt), id);
    return bits >= 64 ? h : h.bitwiseAND(lit((1L << bits) - 1));
  }

  /**
   * Distinct candidate pairs {@code a <= b} of vertices from the band buckets of {@code nodes}
   * (columns {@code id}, {@code prior}, {@code bands}: one key per band, seeded by the band index,
   * so one 64-bit key names a bucket). Buckets with one member, nearly all, are skipped, and so are
   * buckets of prior rows only; pairs of two prior rows are never listed (an earlier run compared
   * them). A pair {@code a == b} means two members share a vertex: the caller's collision check
   * sees it. The output does not depend on the partitioning.
   */
  public static Dataset<Row> candidates(Dataset<Row> nodes, int maxBucket, long salt, int bits) {
    Dataset<Row> bands =
        nodes
            .where(col("bands").isNotNull())
            .select(
                vertex(col("id"), salt, bits).as("v"),
                col("prior"),
                explode(col("bands")).as("key"));
    // Sorted by key (one long: Spark radix-sorts it), each bucket's members are one run of rows: a
    // scan lists its pairs, without a window or a per-bucket list for the singleton buckets that
    // are nearly all of them. pairs() orders members itself, so the order within a run is free.
    return bands
        .repartition(col("key"))
        .sortWithinPartitions("key")
        .mapPartitions(
            (MapPartitionsFunction<Row, Row>) rows -> new BucketPairs(rows, maxBucket),
            Encoders.row(PAIR))
        .distinct();
  }

  /** Pair rows of the buckets in a stream of (v, prior, key) rows sorted by key. */
  private static final class BucketPairs implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int maxBucket;
    private Row next;
    private long[] v = new long[16];
    private boolean[] prior = new boolean[16];
    private Iterator<long[]> out = java.util.Collections.emptyIterator();

    BucketPairs(Iterator<Row> rows, int maxBucket) {
      this.rows = rows;
      this.maxBucket = maxBucket;
      this.next = rows.hasNext() ? rows.next() : null;
    }

    @Override
    public boolean hasNext() {
      while (!out.hasNext() && next != null) {
        long key = next.getLong(2);
        int n = 0;
        boolean fresh = false;
        while (next != null && next.getLong(2) == key) {
          if (n == v.length) {
            v = Arrays.copyOf(v, 2 * n);
            prior = Arrays.copyOf(prior, 2 * n);
          }
          v[n] = next.getLong(0);
          prior[n] = next.getBoolean(1);
          fresh |= !prior[n];
          n++;
          next = rows.hasNext() ? rows.next() : null;
        }
        if (n > 1 && fresh) {
          out = pairs(Arrays.copyOf(v, n), Arrays.copyOf(prior, n), maxBucket).iterator();
        }
      }
      return out.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      long[] p = out.next();
      return RowFactory.create(p[0], p[1]);
    }
  }

  /**
   * The candidate pairs of one bucket, each as (smaller vertex, larger vertex), in a fixed order.
   * Members are ordered by vertex (a prior member first among equal vertices); up to {@code
   * maxBucket} members give all pairs, more give a star around the first and a chain. Pairs of two
   * prior members are left out.
   */
  public static List<long[]> pairs(long[] vertices, boolean[] prior, int maxBucket) {
    int n = vertices.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (x, y) ->
            vertices[x] != vertices[y]
                ? Long.compare(vertices[x], vertices[y])
                : Boolean.compare(!prior[x], !prior[y]));
    List<long[]> out = new ArrayList<>();
    if (n <= maxBucket) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          add(out, order[i], order[j], vertices, prior);
        }
      }
    } else {
      for (int i = 1; i < n; i++) {
        add(out, order[0], order[i], vertices, prior);
        if (i > 1) {
          add(out, order[i - 1], order[i], vertices, prior);
        }
      }
    }
    return out;
  }

  private static void add(List<long[]> out, int x, int y, long[] v, boolean[] prior) {
    if (!(prior[x] && prior[y])) {
      out.add(new long[] {Math.min(v[x], v[y]), Math.max(v[x], v[y])});
    }
  }

  /** The similarity function for the config: exact on shingles or estimated on signatures. */
  public static UserDefinedFunction similarity(boolean exact) {
    UDF2<byte[], byte[], Double> f =
        (a, b) ->
            a == null || b == null
                ? null
                : exact
                    ? Jaccard.exact(LongBytes.toLongs(a), LongBytes.toLongs(b))
                    : Jaccard.estimated(LongBytes.toLongs(a), LongBytes.toLongs(b));
    return org.apache.spark.sql.functions.udf(f, DataTypes.DoubleType);
  }

  /**
   * The nodes that are an endpoint of some pair, with their vertex {@code v} added. The endpoint
   * vertices are broadcast when there are at most {@code broadcastMax} pairs, so the (large) nodes
   * are filtered where they are and never shuffled; above that both sides are shuffled.
   */
  public static Dataset<Row> endpoints(
      Dataset<Row> pairs, long pairCount, Dataset<Row> nodes, long salt, int bits, long bcastMax) {
    Dataset<Row> vs =
        pairs.select(col("a").as("v")).union(pairs.select(col("b").as("v"))).distinct();
    return nodes
        .withColumn("v", vertex(col("id"), salt, bits))
        .join(pairCount <= bcastMax ? broadcast(vs) : vs, "v");
  }

  /**
   * Pairs whose similarity reaches {@code threshold}, as {@code src}, {@code dst}: the endpoints'
   * {@code key} columns. {@code ends} (from {@link #endpoints}) has {@code v}, {@code key} and
   * {@code cmp}: the shingles for exact verification, else the signature. Pairs of one vertex are
   * dropped.
   */
  public static Dataset<Row> verify(
      Dataset<Row> pairs, Dataset<Row> ends, boolean exact, double threshold) {
    Dataset<Row> a = ends.select(col("v").as("a"), col("key").as("src"), col("cmp").as("ca"));
    Dataset<Row> b = ends.select(col("v").as("b"), col("key").as("dst"), col("cmp").as("cb"));
    return pairs
        .where(not(col("a").equalTo(col("b"))))
        .join(a, "a")
        .join(b, "b")
        .where(similarity(exact).apply(col("ca"), col("cb")).geq(threshold))
        .select(col("src"), col("dst"));
  }
}
