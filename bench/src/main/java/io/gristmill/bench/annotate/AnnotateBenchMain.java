package io.gristmill.bench.annotate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import io.gristmill.bench.BenchSpark;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.record.Message;
import io.gristmill.core.stage.StageContext;
import io.gristmill.curation.annotate.AnnotateConfig;
import io.gristmill.curation.annotate.AnnotateSparkStage;
import io.gristmill.curation.annotate.LanguageDetection;
import io.gristmill.curation.annotate.TaskClassifier;
import io.gristmill.curation.annotate.TaskClassifierCore;
import io.gristmill.curation.annotate.TextSignals;
import io.gristmill.curation.ingest.IngestSparkStage;
import io.gristmill.jobs.curate.CurateConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Annotation benchmark over the shared chat corpora (conf/ingest-shared-data.yaml), repeated to
 * {@code rows} conversations: (1) per-annotator cost in microseconds per row, single thread, pure
 * Java; (2) end to end on Spark local[2]: the annotate stage (heuristics + Lingua, plus the
 * classifier when a model folder is given), rows/s, against a named baseline in the same run: a
 * Spark pass that only sums characters of every message (the floor of reading the rows).
 *
 * <p>Run from the repository root: {@code java -cp ...
 * io.gristmill.bench.annotate.AnnotateBenchMain [rows=100000] [classifier-model-dir]} (see
 * bench/README-annotate.md).
 */
public final class AnnotateBenchMain {
  private AnnotateBenchMain() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 100_000L;
    String model = args.length > 1 ? args[1] : null;
    SparkSession spark = BenchSpark.local("annotate-bench", 8);
    CurateConfig cc =
        ConfigLoader.load(Path.of("conf/ingest-shared-data.yaml"), CurateConfig.class, List.of());
    Dataset<Row> base =
        new IngestSparkStage(cc.sources(), cc.ingest())
            .apply(null, StageContext.of(spark, null))
            .kept()
            .select("id", "source", "messages")
            .persist(StorageLevel.MEMORY_AND_DISK());
    long n0 = base.count();
    Dataset<Row> corpus = base;
    for (int k = 1; (long) k * n0 < rows; k++) {
      corpus = corpus.unionByName(base.withColumn("id", concat(col("id"), lit("#" + k))));
    }
    corpus = corpus.limit((int) rows).repartition(8).persist(StorageLevel.MEMORY_AND_DISK());
    long n = corpus.count();
    System.out.printf(Locale.ROOT, "corpus: %d conversations (%d distinct, repeated)%n", n, n0);
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, load average %.1f (shared with other builds when this was run)%n",
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    // (1) Per annotator, one thread, on a sample.
    List<List<Message>> sample = new ArrayList<>();
    for (Row r : base.limit(20_000).collectAsList()) {
      List<Message> ms = new ArrayList<>();
      for (Row m : r.<Row>getList(2)) {
        ms.add(new Message(m.getString(0), m.getString(1)));
      }
      sample.add(ms);
    }
    AnnotateConfig cfg = AnnotateConfig.defaults();
    LanguageDetection lang =
        LanguageDetection.of(cfg.languages(), cfg.languageLowAccuracy(), cfg.languageChars());
    time("baseline: join turns", sample, ms -> all(ms).length());
    time("code languages", sample, ms -> TextSignals.codeLanguages(all(ms)).size());
    time("math", sample, ms -> TextSignals.hasMath(all(ms)) ? 1 : 0);
    time("refusal", sample, ms -> TextSignals.refusal(List.of(all(ms))) ? 1 : 0);
    time("dup lines", sample, ms -> (long) (TextSignals.dupLineFrac(all(ms)) * 100));
    time("dup 5-grams", sample, ms -> (long) (TextSignals.dupNgramFrac(all(ms), 5) * 100));
    time("special chars", sample, ms -> (long) (TextSignals.specialCharRatio(all(ms)) * 100));
    time(
        "language (Lingua, 20 langs, low accuracy)",
        sample,
        ms -> lang.detect(all(ms)).language().length());
    if (model != null) {
      TaskClassifierCore core = TaskClassifier.core(TaskClassifier.load(model)).orElseThrow();
      time(
          "task classifier (plain-Java core)",
          sample,
          ms -> core.predict(firstUser(ms)).label().length());
    }

    // (2) End to end on Spark.
    long t0 = System.nanoTime();
    long chars =
        corpus
            .selectExpr("aggregate(messages, 0L, (a, m) -> a + length(m.content)) AS c")
            .agg(org.apache.spark.sql.functions.sum("c"))
            .first()
            .getLong(0);
    double baseSecs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "spark baseline (sum characters): %.1f s, %.0f rows/s (%d chars)%n",
        baseSecs,
        n / baseSecs,
        chars);
    long t1 = System.nanoTime();
    Dataset<Row> tagged = AnnotateSparkStage.heuristics(corpus, cfg);
    long c1 = tagged.selectExpr("sum(chars_user + chars_assistant)").first().getLong(0);
    double hSecs = (System.nanoTime() - t1) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "spark heuristics + language: %.1f s, %.0f rows/s (%.1fx the baseline's time) [%d]%n",
        hSecs,
        n / hSecs,
        hSecs / baseSecs,
        c1);
    if (model != null) {
      // The classifier as it runs (plain-Java core), then through MLlib's pipeline transform (the
      // path before the core, kept as the fallback) as the named baseline of the same run.
      double fast = endToEnd(corpus, cfg, model, false, n, baseSecs, hSecs, Double.NaN);
      endToEnd(corpus, cfg, model, true, n, baseSecs, hSecs, fast);
    }
    spark.stop();
  }

  private static double endToEnd(
      Dataset<Row> corpus,
      AnnotateConfig cfg,
      String model,
      boolean mllib,
      long n,
      double baseSecs,
      double hSecs,
      double fastSecs) {
    long t = System.nanoTime();
    Dataset<Row> h = AnnotateSparkStage.heuristics(corpus, cfg);
    var pm = TaskClassifier.load(model);
    Dataset<Row> cl = mllib ? TaskClassifier.applyMllib(h, pm) : TaskClassifier.apply(h, pm);
    Row r =
        cl.selectExpr(
                "count(task_category)",
                "sum(task_category_confidence)",
                "sum(chars_user + chars_assistant)")
            .first();
    double secs = (System.nanoTime() - t) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "spark heuristics + language + classifier (%s): %.1f s, %.0f rows/s (%.1fx the"
            + " baseline's time; classifier adds %.1f us/row wall)%s [%d labelled, confidence sum"
            + " %.6f]%n",
        mllib ? "MLlib pipeline transform" : "plain-Java core",
        secs,
        n / secs,
        secs / baseSecs,
        (secs - hSecs) / n * 1e6,
        Double.isNaN(fastSecs)
            ? ""
            : String.format(Locale.ROOT, "; core path %.2fx faster end to end", secs / fastSecs),
        r.getLong(0),
        r.getDouble(1));
    return secs;
  }

  private static String firstUser(List<Message> ms) {
    for (Message m : ms) {
      if (m.role().equals("user")) {
        return m.content();
      }
    }
    return "";
  }

  private static String all(List<Message> ms) {
    StringBuilder sb = new StringBuilder();
    for (Message m : ms) {
      sb.append(m.content()).append('\n');
    }
    return sb.toString();
  }

  private static void time(
      String name, List<List<Message>> sample, ToLongFunction<List<Message>> f) {
    long sink = 0;
    for (int i = 0; i < Math.min(2000, sample.size()); i++) {
      sink += f.applyAsLong(sample.get(i)); // warm-up
    }
    long t = System.nanoTime();
    for (List<Message> ms : sample) {
      sink += f.applyAsLong(ms);
    }
    double us = (System.nanoTime() - t) / 1e3 / sample.size();
    System.out.printf(
        Locale.ROOT, "  %-44s %8.1f us/row  (%,.0f rows/s/core) [%d]%n", name, us, 1e6 / us, sink);
  }
}
