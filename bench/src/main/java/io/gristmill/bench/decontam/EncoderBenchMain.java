package io.gristmill.bench.decontam;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.curation.decontam.BenchmarkItem;
import io.gristmill.curation.decontam.paraphrase.EmbeddingIndex;
import io.gristmill.curation.decontam.paraphrase.ParaphraseConfig;
import io.gristmill.curation.decontam.paraphrase.ParaphraseIndex;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.checkpoint.TinyBertWriter;
import io.gristmill.rollout.encoder.BertEncoder;
import io.gristmill.rollout.encoder.VectorSearch;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Per-row cost of the embedding signal on the CPU: {@link BertEncoder#encode} of GSM8K test
 * questions at a given batch size, with random-weight checkpoints written by {@link TinyBertWriter}
 * (the tiny test shape, and BERT-base width with few layers), plus the exact nearest-item scan
 * ({@link EmbeddingIndex#nearest}) over as many items as the 4-benchmark index has (20,525, random
 * unit vectors). The tokenizer gets the questions' words as whole words, so a row has about as many
 * tokens as a real BERT vocabulary gives it. Random weights: this measures cost only, never recall.
 *
 * <pre>
 * BENCH_XMX=3g bench/run.sh decontam.EncoderBenchMain ../shared 256 32 1 tiny,base2
 * </pre>
 *
 * Args: shared folder, rows (default 256), batch (default 32), intra-op threads (default 1), shapes
 * (comma-separated: tiny, baseN = BERT-base width with N layers; default tiny,base2).
 */
public final class EncoderBenchMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ITEMS = 20_525;

  private EncoderBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    String shapes = args.length > 4 ? args[4] : "tiny,base2";
    List<String> texts = questions(shared.resolve("data/rl_prompts/gsm8k/test.jsonl"), rows);
    TreeSet<String> words = new TreeSet<>();
    for (String t : texts) {
      for (String w : t.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
        if (!w.isEmpty()) {
          words.add(w);
        }
      }
    }
    List<String> extra = new ArrayList<>(words);
    CausalLm.setThreads(threads);
    System.out.printf(
        "rows %d (GSM8K test questions), batch %d, %d intra-op thread(s), load average %s%n",
        texts.size(), batch, threads, loadAverage());
    for (String shape : shapes.split(",")) {
      TinyBertWriter.Spec s =
          shape.equals("tiny")
              ? TinyBertWriter.Spec.tiny().withVocabSize(TinyBertWriter.tokenizerVocab(extra))
              : TinyBertWriter.Spec.baseWidth(Integer.parseInt(shape.substring(4)));
      Path dir = Files.createTempDirectory("bench-bert-");
      TinyBertWriter.write(dir, s, extra);
      try (BertEncoder enc = BertEncoder.load(dir, Device.cpu())) {
        long tokens = 0;
        for (String t : texts) {
          tokens += enc.tokenCount(t);
        }
        enc.encode(texts.subList(0, Math.min(batch, texts.size())), batch); // warm-up
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        float[][] v = enc.encode(texts, batch);
        double wall = (System.nanoTime() - t0) / 1e3;
        double cpu = (cpuNanos() - cpu0) / 1e3;
        // the scan: the index's size at this dimension, random unit vectors
        EmbeddingIndex index = randomIndex(ITEMS, enc.dim());
        long n0 = System.nanoTime();
        int hits = 0;
        for (float[] q : v) {
          hits += index.nearest(q, 5, 0.8).size();
        }
        double scan = (System.nanoTime() - n0) / 1e3 / v.length;
        // what the stage does: one matrix product per batch, then a selection per row
        double product;
        int hits2 = 0;
        try (VectorSearch search = new VectorSearch(index.vectors(), enc.dim(), Device.cpu())) {
          search.scores(java.util.Arrays.copyOf(v, Math.min(batch, v.length))); // warm-up
          long p0 = System.nanoTime();
          for (int i = 0; i < v.length; i += batch) {
            float[][] sc =
                search.scores(java.util.Arrays.copyOfRange(v, i, Math.min(v.length, i + batch)));
            for (float[] row : sc) {
              hits2 += index.nearestByScores(row, 5, 0.8).size();
            }
          }
          product = (System.nanoTime() - p0) / 1e3 / v.length;
        }
        System.out.printf(
            "%s: hidden %d, %d layers, %.1fM parameters, max %d tokens; %.1f tokens/row;"
                + " encode %.0f us/row wall, %.0f us/row process CPU; nearest over %,d items"
                + " %.0f us/row by a Java scan (%d hits), %.0f us/row by a product per batch (%d"
                + " hits)%n",
            shape,
            enc.dim(),
            s.layers(),
            enc.parameterCount() / 1e6,
            enc.maxTokens(),
            (double) tokens / texts.size(),
            wall / texts.size(),
            cpu / texts.size(),
            ITEMS,
            scan,
            hits,
            product,
            hits2);
      }
      deleteTree(dir);
    }
    System.out.printf("load average after: %s%n", loadAverage());
  }

  private static EmbeddingIndex randomIndex(int n, int dim) {
    List<BenchmarkItem> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(new BenchmarkItem("b", "i" + i, "item number " + i));
    }
    ParaphraseIndex p = ParaphraseIndex.build(items, ParaphraseConfig.defaults());
    SplittableRandom r = new SplittableRandom(5);
    return EmbeddingIndex.build(
        p,
        texts -> {
          float[][] v = new float[texts.size()][dim];
          for (float[] row : v) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
              row[j] = (float) r.nextGaussian();
              norm += row[j] * row[j];
            }
            for (int j = 0; j < dim; j++) {
              row[j] /= (float) Math.sqrt(norm);
            }
          }
          return v;
        });
  }

  private static List<String> questions(Path file, int rows) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (out.size() >= rows) {
        break;
      }
      out.add(JSON.readTree(line).get("question").asText());
    }
    return out;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() throws Exception {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
