package io.gristmill.bench.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The baseline: Spark MLlib {@code MinHashLSH.approxSimilarityJoin} on HashingTF features of the
 * same word 5-grams, at the same threshold (Jaccard distance {@code < 1 - threshold}). Returns
 * pairs only (no clusters). Run under a time limit: on timeout its jobs are cancelled.
 */
final class MllibBaseline {
  private MllibBaseline() {}

  /** Pairs {@code a < b}, persisted, or null when the time limit was hit or MLlib failed. */
  static Dataset<Row> pairs(
      Dataset<Row> docs, double threshold, int hashTables, long timeoutSeconds) throws Exception {
    RegexTokenizer tok =
        new RegexTokenizer()
            .setInputCol("text")
            .setOutputCol("words")
            .setPattern("[^\\p{L}\\p{N}]+")
            .setToLowercase(true);
    NGram ng = new NGram().setN(5).setInputCol("words").setOutputCol("ngrams");
    HashingTF tf =
        new HashingTF()
            .setInputCol("ngrams")
            .setOutputCol("features")
            .setNumFeatures(1 << 22)
            .setBinary(true);
    Dataset<Row> feats =
        tf.transform(ng.transform(tok.transform(docs)))
            .where(size(col("ngrams")).gt(0))
            .select("id", "features");
    MinHashLSH lsh =
        new MinHashLSH()
            .setNumHashTables(hashTables)
            .setSeed(42)
            .setInputCol("features")
            .setOutputCol("hashes");
    var sc = docs.sparkSession().sparkContext();
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      Future<Dataset<Row>> f =
          ex.submit(
              () -> {
                sc.setJobGroup("mllib-baseline", "MLlib MinHashLSH baseline", true);
                MinHashLSHModel model = lsh.fit(feats);
                Dataset<Row> p =
                    model
                        .approxSimilarityJoin(feats, feats, 1.0 - threshold, "dist")
                        .where(col("dist").lt(1.0 - threshold))
                        .select(col("datasetA.id").as("a"), col("datasetB.id").as("b"))
                        .where(col("a").lt(col("b")))
                        .distinct()
                        .persist(StorageLevel.MEMORY_AND_DISK());
                p.count();
                return p;
              });
      try {
        return f.get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        sc.cancelJobGroup("mllib-baseline");
        f.cancel(true);
        System.out.printf("mllib MinHashLSH: time limit of %d s reached%n", timeoutSeconds);
        return null;
      } catch (java.util.concurrent.ExecutionException e) {
        // At 1M rows on a 10 GiB heap MLlib runs out of memory; report how, go on to the quality.
        sc.cancelJobGroup("mllib-baseline");
        Throwable c = e;
        while (c.getCause() != null) {
          c = c.getCause();
        }
        System.out.printf(
            "mllib MinHashLSH FAILED: %s: %s%n", c.getClass().getName(), c.getMessage());
        return null;
      }
    } finally {
      ex.shutdownNow();
    }
  }
}
