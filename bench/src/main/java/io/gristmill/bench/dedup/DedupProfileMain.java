package io.gristmill.bench.dedup;

import io.gristmill.bench.BenchSpark;
import io.gristmill.curation.dedup.near.NearDedupConfig;
import io.gristmill.curation.dedup.near.NearDedupResult;
import io.gristmill.curation.dedup.near.NearDedupSparkStage;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Repeated runs of the near-dedup stage on the benchmark corpus; the stage logs each step's wall
 * and CPU seconds at INFO. Arguments: rows, shuffle partitions, shared-data dir, ignored (was
 * "steps"), repeats.
 */
public final class DedupProfileMain {
  private DedupProfileMain() {}

  public static void main(String[] args) throws Exception {
    long rows = Long.parseLong(args[0]);
    int parts = Integer.parseInt(args[1]);
    Path shared = Path.of(args[2]);
    SparkSession spark = BenchSpark.local("gristmill-dedup-profile", parts);
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        "io.gristmill", org.apache.logging.log4j.Level.INFO);
    CorpusGenerator gen =
        new CorpusGenerator(PassagePool.load(shared.resolve("sft_chat"), 12), 7L, 5);
    var genB =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(gen);
    long t = System.nanoTime();
    Dataset<Row> corpus = DedupBenchMain.corpus(spark, genB, rows, parts);
    corpus.count();
    t = lap("corpus", t);
    NearDedupConfig cfg = NearDedupConfig.defaults();
    for (int rep = 0; rep < (args.length > 4 ? Integer.parseInt(args[4]) : 1); rep++) {
      NearDedupResult r = NearDedupSparkStage.run(corpus, cfg);
      t = lap("stage.run (report)", t);
      r.kept().write().format("noop").mode("overwrite").save();
      r.rejected().write().format("noop").mode("overwrite").save();
      t = lap("kept+rejected written", t);
      System.out.println(r.info().summary() + " " + r.report());
      // Drop what this repeat cached (its nodes, endpoints, members); the corpus is a checkpoint.
      spark.catalog().clearCache();
    }
    spark.stop();
  }

  private static long lap(String what, long t0) {
    long now = System.nanoTime();
    System.out.printf("%-28s %7.1f s%n", what, (now - t0) / 1e9);
    return now;
  }
}
