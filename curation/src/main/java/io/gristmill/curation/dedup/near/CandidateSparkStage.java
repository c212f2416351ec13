package io.gristmill.curation.dedup.near;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * LSH candidates and their verification. Nodes with a signature are keyed by band; members of a
 * band bucket become candidate pairs (all pairs up to {@code max_bucket_size} members, else a star
 * around the smallest id plus a chain in id order, which keeps the bucket connected in linear
 * size); each distinct pair is kept as an edge only if its Jaccard reaches the threshold.
 */
public final class CandidateSparkStage {
  private CandidateSparkStage() {}

  static final StructType PAIR =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("src", DataTypes.StringType, false),
            DataTypes.createStructField("dst", DataTypes.StringType, false)
          });

  /**
   * Distinct candidate pairs {@code src < dst} from the band buckets of {@code nodes} (column
   * {@code bands}: one key per band, seeded by the band index, so one 64-bit key names a bucket).
   * Members of singleton buckets, nearly all rows, are dropped by a window count before any row
   * leaves Spark's generated code; each remaining bucket is grouped and its pairs listed. The
   * output does not depend on the partitioning.
   */
  public static Dataset<Row> candidates(Dataset<Row> nodes, int maxBucket) {
    Dataset<Row> bands =
        nodes.where(col("bands").isNotNull()).select(col("id"), explode(col("bands")).as("key"));
    return bands
        .withColumn("n", count(lit(1)).over(Window.partitionBy("key")))
        .where(col("n").gt(1))
        .groupBy("key")
        .agg(collect_list("id").as("ids"))
        .select("ids")
        .flatMap(
            (FlatMapFunction<Row, Row>) r -> pairs(r.getList(0), maxBucket).iterator(),
            Encoders.row(PAIR))
        .distinct();
  }

  /** The candidate pairs of one bucket, each as (smaller id, larger id). */
  public static List<Row> pairs(List<String> members, int maxBucket) {
    List<String> ids = new ArrayList<>(members);
    Collections.sort(ids);
    List<Row> out = new ArrayList<>();
    if (ids.size() <= maxBucket) {
      for (int i = 0; i < ids.size(); i++) {
        for (int j = i + 1; j < ids.size(); j++) {
          out.add(RowFactory.create(ids.get(i), ids.get(j)));
        }
      }
    } else {
      for (int i = 1; i < ids.size(); i++) {
        out.add(RowFactory.create(ids.get(0), ids.get(i)));
        if (i > 1) {
          out.add(RowFactory.create(ids.get(i - 1), ids.get(i)));
        }
      }
    }
    return out;
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
   * The nodes that are an endpoint of some pair, with {@code id}, {@code original_id}, {@code
   * rank}, {@code sig} and {@code shingles}. The endpoint ids are broadcast, so the (large) nodes
   * are filtered where they are and never shuffled.
   */
  public static Dataset<Row> endpoints(Dataset<Row> pairs, Dataset<Row> nodes) {
    Dataset<Row> ids =
        pairs.select(col("src").as("id")).union(pairs.select(col("dst").as("id"))).distinct();
    return nodes.join(broadcast(ids), "id");
  }

  /**
   * Pairs whose similarity reaches {@code threshold}: {@code src}, {@code dst}, {@code sim}. The
   * column compared is {@code shingles} for exact verification, else {@code sig}; {@code nodes}
   * needs only the pairs' endpoints (see {@link #endpoints}).
   */
  public static Dataset<Row> verify(
      Dataset<Row> pairs, Dataset<Row> nodes, boolean exact, double threshold) {
    String c = exact ? "shingles" : "sig";
    Dataset<Row> a = nodes.select(col("id").as("src"), col(c).as("a"));
    Dataset<Row> b = nodes.select(col("id").as("dst"), col(c).as("b"));
    return pairs
        .join(a, "src")
        .join(b, "dst")
        .select(col("src"), col("dst"), similarity(exact).apply(col("a"), col("b")).as("sim"))
        .where(col("sim").geq(threshold));
  }
}
