package io.gristmill.bench.decontam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.bench.BenchSpark;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.curation.decontam.BenchmarkItem;
import io.gristmill.curation.decontam.BenchmarkSpec;
import io.gristmill.curation.decontam.DecontaminationConfig;
import io.gristmill.curation.decontam.DecontaminationResult;
import io.gristmill.curation.decontam.DecontaminationSparkStage;
import io.gristmill.curation.decontam.NgramIndex;
import io.gristmill.curation.decontam.paraphrase.ParaphraseConfig;
import io.gristmill.curation.decontam.paraphrase.ParaphraseIndex;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Paraphrase-aware decontamination throughput: N synthetic conversations against GSM8K + MATH +
 * HumanEval + MMLU test items (about 20.5k), n-gram matching alone (the baseline) and n-gram +
 * paraphrase matching, in the same run on local[2]. Conversation i is built from real rows of
 * ../shared/data/sft_chat (HH-RLHF harmless-base, GPTeacher Roleplay/Codegen/Toolformer): the user
 * turn joins two rows picked by multiplicative hashes of i, the assistant turn a third, so rows
 * repeat in new combinations; one row in 1,000 carries an LMSYS GSM8K rephrasing instead.
 *
 * <pre>
 * BENCH_XMX=3g bench/run.sh decontam.ParaphraseBenchMain ../shared 200000
 * </pre>
 *
 * Args: shared folder, rows (default 200,000), partitions (default 4), and optionally an embedding
 * model for a third run with {@code paraphrase.embedding} on ({@code tiny}: the random-weight test
 * encoder, cost only; or a BERT-family folder).
 */
public final class ParaphraseBenchMain {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParaphraseBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
    long rows = args.length > 1 ? Long.parseLong(args[1]) : 200_000L;
    int parts = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    Path data = shared.resolve("data");
    SparkSession spark = BenchSpark.local("gristmill-paraphrase-bench", parts);
    System.out.printf(
        "machine: %d cores visible, max heap %.1f GiB; local[2], %d partitions, %d rows%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / 1073741824.0,
        parts,
        rows);
    List<BenchmarkSpec> specs =
        List.of(
            new BenchmarkSpec(
                "gsm8k",
                data.resolve("rl_prompts/gsm8k/test.jsonl").toString(),
                null,
                List.of("question"),
                null),
            new BenchmarkSpec(
                "math",
                data.resolve("rl_prompts/math/test.jsonl").toString(),
                null,
                List.of("problem"),
                "idx"),
            new BenchmarkSpec(
                "humaneval",
                data.resolve("benchmarks/humaneval/HumanEval.jsonl.gz").toString(),
                null,
                List.of("prompt"),
                "task_id"),
            new BenchmarkSpec(
                "mmlu",
                data.resolve("benchmarks/mmlu/test").toString(),
                "csv",
                List.of("question", "choice0", "choice1", "choice2", "choice3"),
                null));
    ParaphraseConfig pcfg = ParaphraseConfig.defaults();
    DecontaminationConfig ngramOnly =
        new DecontaminationConfig(null, null, "flag", null, specs, null, null);
    DecontaminationConfig both = ngramOnly.withParaphrase(pcfg);
    long t0 = System.nanoTime();
    List<BenchmarkItem> items = DecontaminationSparkStage.loadItems(ngramOnly);
    NgramIndex ngram = NgramIndex.build(items, ngramOnly.ngram(), ngramOnly.maxItemFrequency());
    double ngramBuild = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    ParaphraseIndex para = ParaphraseIndex.build(items, pcfg);
    double paraBuild = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "%d benchmark items; n-gram index %.1f s, paraphrase index %.1f s (%d rare terms)%n",
        items.size(), ngramBuild, paraBuild, para.rareTerms());

    List<String> pool = pool(data);
    List<String> planted = new ArrayList<>();
    for (String l :
        Files.readAllLines(
            data.resolve("dedup_ground_truth/llm_decontaminator/rephrase/rephrase_gsm8k.jsonl"))) {
      if (!l.isBlank()) {
        planted.add(JSON.readTree(l).get("text").asText());
      }
    }
    Broadcast<String[]> poolB =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(pool.toArray(new String[0]));
    Broadcast<String[]> plantB =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(planted.toArray(new String[0]));
    Dataset<Row> corpus =
        spark
            .range(0, rows, 1, parts)
            .map(
                (MapFunction<Long, Row>)
                    i -> SparkSchemas.toRow(conv(i, poolB.value(), plantB.value())),
                Encoders.row(SparkSchemas.CONVERSATION))
            .localCheckpoint();
    System.out.printf("corpus: %d rows from a pool of %d real rows%n", corpus.count(), pool.size());

    // Warm-up (JIT), untimed, on a small slice, both systems.
    Dataset<Row> warm = corpus.limit(2000);
    DecontaminationSparkStage.run(warm, ngramOnly, ngram, null)
        .kept()
        .write()
        .format("noop")
        .mode("overwrite")
        .save();
    DecontaminationSparkStage.run(warm, both, ngram, para)
        .kept()
        .write()
        .format("noop")
        .mode("overwrite")
        .save();

    // CPU seconds of the whole JVM (driver and local executor threads) besides wall time: on a
    // machine shared with other builds the wall time depends on the load, the CPU time less so.
    t0 = System.nanoTime();
    double c0 = cpuSeconds();
    DecontaminationResult a = DecontaminationSparkStage.run(corpus, ngramOnly, ngram, null);
    a.kept().write().format("noop").mode("overwrite").save();
    double ta = (System.nanoTime() - t0) / 1e9;
    double ca = cpuSeconds() - c0;
    t0 = System.nanoTime();
    c0 = cpuSeconds();
    DecontaminationResult b = DecontaminationSparkStage.run(corpus, both, ngram, para);
    b.kept().write().format("noop").mode("overwrite").save();
    double tb = (System.nanoTime() - t0) / 1e9;
    double cb = cpuSeconds() - c0;
    long plantedRows = rows / 1000;
    System.out.printf(
        "n-gram only (baseline): %.1f s, %.0f rows/s; flagged per benchmark %s%n",
        ta, rows / ta, a.perBenchmark());
    System.out.printf(
        "n-gram + paraphrase:    %.1f s, %.0f rows/s; flagged per benchmark/kind %s%n",
        tb, rows / tb, b.perKind());
    System.out.printf(
        "ratio (n-gram + paraphrase) / n-gram only: %.2fx; added %.1f s per 1M rows;"
            + " %d rows planted with a GSM8K rephrasing%n",
        tb / ta, (tb - ta) * 1_000_000.0 / rows, plantedRows);
    System.out.printf(
        "process CPU: n-gram only %.1f s (%.0f rows per CPU-second), n-gram + paraphrase %.1f s"
            + " (%.0f rows per CPU-second), ratio %.2fx%n",
        ca, rows / ca, cb, rows / cb, cb / ca);
    System.out.printf(
        "extrapolated to 1M rows on this machine: n-gram only %.0f s, n-gram + paraphrase %.0f s%n",
        ta * 1_000_000.0 / rows, tb * 1_000_000.0 / rows);
    if (args.length > 3) {
      // the optional embedding signal: "tiny" (a random-weight test encoder) or a model folder
      String model = args[3];
      if (model.equals("tiny")) {
        Path dir = Files.createTempDirectory("bench-tiny-bert-");
        io.gristmill.rollout.checkpoint.TinyBertWriter.write(
            dir, io.gristmill.rollout.checkpoint.TinyBertWriter.Spec.tiny());
        model = dir.toString();
      }
      DecontaminationConfig emb =
          ngramOnly.withParaphrase(
              pcfg.withEmbedding(
                  io.gristmill.curation.decontam.paraphrase.EmbeddingConfig.of(model)));
      t0 = System.nanoTime();
      c0 = cpuSeconds();
      DecontaminationResult e = DecontaminationSparkStage.run(corpus, emb, ngram, para);
      e.kept().write().format("noop").mode("overwrite").save();
      double te = (System.nanoTime() - t0) / 1e9;
      double ce = cpuSeconds() - c0;
      System.out.printf(
          "n-gram + paraphrase + embedding (%s; item encoding on the driver included): %.1f s,"
              + " %.0f rows/s, process CPU %.1f s; flagged per benchmark/kind %s%n",
          args[3], te, rows / te, ce, e.perKind());
      // the matches only the embedding path retrieved: term score under the floor
      for (Row r :
          e.kept()
              .selectExpr(
                  "id",
                  "filter(contamination, m -> array_contains(m.signals, 'embedding') AND m.overlap"
                      + " < "
                      + pcfg.floor()
                      + ") AS m",
                  "element_at(messages, 1).content AS turn")
              .where("size(m) > 0")
              .limit(10)
              .collectAsList()) {
        String turn = r.getString(2);
        System.out.printf(
            "embedding-only: %s %s | %s%n",
            r.getString(0),
            r.getList(1),
            turn.substring(0, Math.min(240, turn.length())).replace('\n', ' '));
      }
    }
    spark.stop();
  }

  /** CPU seconds this JVM has used, all threads. */
  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  static Conversation conv(long i, String[] pool, String[] planted) {
    int n = pool.length;
    String user;
    if (i % 1000 == 999) {
      user = planted[(int) ((i / 1000) % planted.length)];
    } else {
      user =
          pool[(int) Math.floorMod(i * 7919L + 11, (long) n)]
              + "\n\n"
              + pool[(int) Math.floorMod(i * 104729L + 5, (long) n)];
    }
    String assistant = pool[(int) Math.floorMod(i * 15485863L + 1, (long) n)];
    return new Conversation(
        "c" + i, "bench", List.of(Message.user(user), Message.assistant(assistant)), null, "{}");
  }

  /** Real texts: HH-RLHF chosen transcripts and GPTeacher instruction/response fields. */
  static List<String> pool(Path data) throws Exception {
    List<String> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(
                        data.resolve("sft_chat/hh_rlhf_harmless_base_test/test.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line).get("chosen").asText().strip());
        }
      }
    }
    for (String f :
        List.of(
            "Roleplay/roleplay-simple-deduped-roleplay-instruct.json",
            "Codegen/codegen-instruct.json",
            "Toolformer/toolformer-dedupe-only-dataset.json")) {
      for (JsonNode n : JSON.readTree(data.resolve("sft_chat/gpteacher").resolve(f).toFile())) {
        out.add(n.get("instruction").asText());
        out.add(n.get("response").asText());
      }
    }
    return out;
  }
}
