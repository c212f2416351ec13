package io.gristmill.bench.dedup;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.gristmill.bench.BenchSpark;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.curation.decontam.BenchmarkSpec;
import io.gristmill.curation.decontam.DecontaminationConfig;
import io.gristmill.curation.decontam.DecontaminationResult;
import io.gristmill.curation.decontam.DecontaminationSparkStage;
import io.gristmill.curation.dedup.near.Jaccard;
import io.gristmill.curation.dedup.near.NearDedupConfig;
import io.gristmill.curation.dedup.near.NearDedupResult;
import io.gristmill.curation.dedup.near.NearDedupSparkStage;
import io.gristmill.curation.dedup.near.WordShingler;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Near-dedup benchmark: Gristmill vs Spark MLlib MinHashLSH on a synthetic corpus with planted,
 * labelled near-duplicates, in one run on one machine. See bench/README-dedup.md for the command.
 *
 * <p>Arguments: {@code rows} (default 100000), {@code mllib-timeout-seconds} (default 900, 0 skips
 * MLlib), {@code shared-data-dir} (default ../shared/data), {@code warmup-rows} (default 20000, 0
 * skips the untimed warm-up of both systems), {@code repeats} (default 1: timed runs of each system
 * at full size; the speed-up is the ratio of the medians).
 */
public final class DedupBenchMain {
  private static final double THRESHOLD = 0.8;
  private static final int NGRAM = 5;

  private DedupBenchMain() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 100_000L;
    long mllibTimeout = args.length > 1 ? Long.parseLong(args[1]) : 900L;
    Path shared = Path.of(args.length > 2 ? args[2] : "../shared/data");
    long warmupRows = args.length > 3 ? Long.parseLong(args[3]) : 20_000L;
    int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    // local[2]: Spark's default of 200 shuffle partitions is pure task overhead here; 8 up to
    // 200k rows, 16 above (also for MLlib, so both systems run with the same setting).
    int parts = rows <= 200_000 ? 8 : 16;
    SparkSession spark = BenchSpark.local("gristmill-dedup-bench", parts);
    System.out.printf(
        "machine: %d cores visible, max heap %.1f GiB, java %s; local[2], %d shuffle partitions%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / 1073741824.0,
        System.getProperty("java.version"),
        parts);

    List<String> pool = PassagePool.load(shared.resolve("sft_chat"), 12);
    org.apache.spark.broadcast.Broadcast<CorpusGenerator> genB =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(new CorpusGenerator(pool, 7L, 5));
    DecontaminationConfig dcfg =
        new DecontaminationConfig(null, null, null, null, benchmarks(shared), null, null);
    if (warmupRows > 0) {
      // JIT and Spark code generation warm-up for both systems, untimed, on a small corpus.
      long tw = System.nanoTime();
      Dataset<Row> w = corpus(spark, genB, warmupRows, parts);
      NearDedupResult wr = NearDedupSparkStage.run(w, NearDedupConfig.defaults());
      wr.kept().write().format("noop").mode("overwrite").save();
      wr.rejected().write().format("noop").mode("overwrite").save();
      DecontaminationSparkStage.run(wr.kept(), dcfg)
          .kept()
          .write()
          .format("noop")
          .mode("overwrite")
          .save();
      if (mllibTimeout > 0) {
        Dataset<Row> wp =
            MllibBaseline.pairs(
                w.select(col("id"), col("messages").getItem(0).getField("content").as("text")),
                THRESHOLD,
                5,
                mllibTimeout);
        if (wp != null) {
          wp.unpersist();
        }
      }
      w.unpersist();
      System.out.printf(
          "warm-up on %d rows (both systems, untimed): %.1f s%n",
          warmupRows, (System.nanoTime() - tw) / 1e9);
    }
    Dataset<Row> corpus = corpus(spark, genB, rows, parts);
    System.out.printf(
        "corpus: %d rows from %d passages (1 in 5 planted)%n", corpus.count(), pool.size());

    // ---- Gristmill near-dedup and decontamination, `repeats` times ----------------------------
    NearDedupConfig cfg = NearDedupConfig.defaults();
    List<Double> gTimes = new java.util.ArrayList<>();
    List<Double> dTimes = new java.util.ArrayList<>();
    Dataset<Row> rejected = null;
    for (int rep = 1; rep <= repeats; rep++) {
      // Drops what the previous repeat cached; the corpus is a checkpoint and stays.
      spark.catalog().clearCache();
      PeakMemory.reset();
      long t0 = System.nanoTime();
      String loadBefore = LoadAverage.now();
      NearDedupResult r = NearDedupSparkStage.run(corpus, cfg);
      r.kept().write().format("noop").mode("overwrite").save();
      rejected = r.rejected().persist(StorageLevel.MEMORY_AND_DISK());
      rejected.write().format("noop").mode("overwrite").save();
      double gSec = (System.nanoTime() - t0) / 1e9;
      long gPeak = PeakMemory.peakBytes();
      gTimes.add(gSec);
      System.out.printf(
          "gristmill near-dedup [run %d/%d]: %.1f s, %.0f rows/s, peak heap %.2f GiB; %s; %s; load"
              + " average before %s, after %s%n",
          rep,
          repeats,
          gSec,
          rows / gSec,
          gPeak / 1073741824.0,
          r.info().summary(),
          r.report(),
          loadBefore,
          LoadAverage.now());

      long t1 = System.nanoTime();
      DecontaminationResult d = DecontaminationSparkStage.run(r.kept(), dcfg);
      d.kept().write().format("noop").mode("overwrite").save();
      double dSec = (System.nanoTime() - t1) / 1e9;
      dTimes.add(dSec);
      System.out.printf(
          "gristmill decontamination [run %d/%d]: %.1f s (%d items indexed); per benchmark %s;"
              + " dedup+decontam %.1f s (%.0f rows/s); load average %s%n",
          rep,
          repeats,
          dSec,
          d.indexedItems(),
          d.perBenchmark(),
          gSec + dSec,
          rows / (gSec + dSec),
          LoadAverage.now());
    }
    double gSec = median(gTimes);

    // ---- MLlib baseline, `repeats` times -----------------------------------------------------
    Dataset<Row> docs =
        corpus.select(col("id"), col("messages").getItem(0).getField("content").as("text"));
    Dataset<Row> mPairs = null;
    List<Double> mTimes = new java.util.ArrayList<>();
    for (int rep = 1; rep <= repeats && mllibTimeout > 0; rep++) {
      if (mPairs != null) {
        mPairs.unpersist();
      }
      PeakMemory.reset();
      System.out.printf(
          "mllib start [run %d/%d]: load average %s%n", rep, repeats, LoadAverage.now());
      long t2 = System.nanoTime();
      mPairs = MllibBaseline.pairs(docs, THRESHOLD, 5, mllibTimeout);
      double mSec = (System.nanoTime() - t2) / 1e9;
      long mPeak = PeakMemory.peakBytes();
      if (mPairs == null) {
        System.out.printf(
            "mllib MinHashLSH (5 hash tables): no result after %.1f s (limit %d s; see the line"
                + " above), peak heap %.2f GiB; load average %s%n",
            mSec, mllibTimeout, mPeak / 1073741824.0, LoadAverage.now());
        break;
      }
      mTimes.add(mSec);
      System.out.printf(
          "mllib MinHashLSH (5 hash tables) [run %d/%d]: %.1f s, %.0f rows/s, peak heap %.2f GiB,"
              + " %d pairs; load average %s%n",
          rep, repeats, mSec, rows / mSec, mPeak / 1073741824.0, mPairs.count(), LoadAverage.now());
    }
    System.out.printf(
        "median of %d run(s): gristmill near-dedup %.1f s, + decontamination %.1f s%s%n",
        gTimes.size(),
        gSec,
        gSec + median(dTimes),
        mPairs == null
            ? ""
            : String.format(
                "; mllib %.1f s; gristmill speed-up %.1fx (runs: gristmill %s, mllib %s)",
                median(mTimes), median(mTimes) / gSec, gTimes, mTimes));

    // ---- quality -----------------------------------------------------------------------------
    Dataset<Row> planted =
        spark
            .range(0, rows, 1, parts)
            .filter(
                (org.apache.spark.api.java.function.FilterFunction<Long>)
                    i -> genB.value().isPlanted(i))
            .map(
                (MapFunction<Long, Row>)
                    i -> RowFactory.create(id(genB.value().originalOf(i)), id(i)),
                Encoders.row(new StructType().add("a", "string").add("b", "string")))
            .withColumn("planted", lit(true));
    Dataset<Row> gPairs =
        rejected.select(
            least(col("id"), col("duplicate_of")).as("a"),
            greatest(col("id"), col("duplicate_of")).as("b"));
    Dataset<Row> poolPairs = planted.select("a", "b").union(gPairs);
    if (mPairs != null) {
      poolPairs = poolPairs.union(mPairs.select("a", "b"));
    }
    UDF2<String, String, Double> jac =
        (x, y) ->
            Jaccard.exact(
                WordShingler.shingles(x, NGRAM, 1).hashes(),
                WordShingler.shingles(y, NGRAM, 1).hashes());
    Dataset<Row> repOf = rejected.select(col("id").as("rid"), col("duplicate_of").as("rep"));
    Dataset<Row> eval =
        poolPairs
            .distinct()
            .join(planted, seq("a", "b"), "left")
            .join(docs.select(col("id").as("a"), col("text").as("ta")), "a")
            .join(docs.select(col("id").as("b"), col("text").as("tb")), "b")
            .withColumn(
                "exact",
                org.apache
                    .spark
                    .sql
                    .functions
                    .udf(jac, DataTypes.DoubleType)
                    .apply(col("ta"), col("tb")))
            .join(repOf.select(col("rid").as("a"), col("rep").as("ra")), seq("a"), "left")
            .join(repOf.select(col("rid").as("b"), col("rep").as("rb")), seq("b"), "left")
            .withColumn("g", coalesce(col("ra"), col("a")).equalTo(coalesce(col("rb"), col("b"))));
    if (mPairs != null) {
      eval =
          eval.join(mPairs.withColumn("m", lit(true)), seq("a", "b"), "left")
              .withColumn("m", coalesce(col("m"), lit(false)));
    } else {
      eval = eval.withColumn("m", lit(false));
    }
    eval =
        eval.withColumn("truth", col("exact").geq(THRESHOLD))
            .persist(StorageLevel.MEMORY_AND_DISK());
    report("planted pairs", eval.where(col("planted").equalTo(true)), mPairs != null);
    report("pooled pairs vs exact Jaccard", eval, mPairs != null);
    spark.stop();
  }

  private static void report(String what, Dataset<Row> e, boolean mllib) {
    Row c =
        e.agg(
                sum(when(col("truth"), 1).otherwise(0)).as("pos"),
                sum(when(col("truth").and(col("g")), 1).otherwise(0)).as("gtp"),
                sum(when(col("g"), 1).otherwise(0)).as("gpred"),
                sum(when(col("truth").and(col("m")), 1).otherwise(0)).as("mtp"),
                sum(when(col("m"), 1).otherwise(0)).as("mpred"),
                org.apache.spark.sql.functions.count(lit(1)).as("n"))
            .first();
    long pos = c.getLong(0);
    System.out.printf(
        "%s: %d pairs, %d with exact Jaccard >= %.2f%n", what, c.getLong(5), pos, THRESHOLD);
    prf("  gristmill", c.getLong(1), c.getLong(2), pos);
    if (mllib) {
      prf("  mllib    ", c.getLong(3), c.getLong(4), pos);
    }
  }

  private static void prf(String who, long tp, long pred, long pos) {
    double p = pred == 0 ? 0 : (double) tp / pred;
    double r = pos == 0 ? 0 : (double) tp / pos;
    double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
    System.out.printf(
        "%s precision %.4f recall %.4f F1 %.4f (tp %d, predicted %d)%n", who, p, r, f, tp, pred);
  }

  private static scala.collection.immutable.Seq<String> seq(String... cols) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(cols)).toList();
  }

  /** The benchmark corpus of {@code rows} conversations, checkpointed in memory. */
  static Dataset<Row> corpus(
      SparkSession spark,
      org.apache.spark.broadcast.Broadcast<CorpusGenerator> genB,
      long rows,
      int parts) {
    return spark
        .range(0, rows, 1, parts)
        .map(
            (MapFunction<Long, Row>)
                i ->
                    SparkSchemas.toRow(
                        new io.gristmill.core.record.Conversation(
                            id(i),
                            "bench",
                            List.of(
                                io.gristmill.core.record.Message.user(genB.value().text(i)),
                                io.gristmill.core.record.Message.assistant("ok")),
                            String.valueOf(i),
                            "{}")),
            Encoders.row(SparkSchemas.CONVERSATION))
        .localCheckpoint();
  }

  private static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    int n = s.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static String id(long i) {
    return String.format("r%09d", i);
  }

  private static List<BenchmarkSpec> benchmarks(Path shared) {
    Path b = shared.resolve("benchmarks");
    return List.of(
        new BenchmarkSpec(
            "gsm8k",
            shared.resolve("rl_prompts/gsm8k/test.jsonl").toString(),
            null,
            List.of("question"),
            null),
        new BenchmarkSpec(
            "humaneval",
            b.resolve("humaneval/HumanEval.jsonl.gz").toString(),
            null,
            List.of("prompt"),
            "task_id"),
        new BenchmarkSpec(
            "mt_bench",
            b.resolve("mt_bench/question.jsonl").toString(),
            null,
            List.of("turns"),
            "question_id"),
        new BenchmarkSpec(
            "ifeval",
            b.resolve("ifeval/input_data.jsonl").toString(),
            null,
            List.of("prompt"),
            "key"),
        new BenchmarkSpec(
            "math",
            shared.resolve("rl_prompts/math/test.jsonl").toString(),
            null,
            List.of("problem"),
            "idx"));
  }
}
