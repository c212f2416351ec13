package io.gristmill.bench.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.curation.decontam.BenchmarkItem;
import io.gristmill.curation.decontam.BenchmarkLoader;
import io.gristmill.curation.decontam.BenchmarkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reference sentence embeddings of all-MiniLM-L6-v2 computed with ONNX Runtime on the original ONNX
 * export (not on the converted safetensors), so a DJL encoder that loads the converted HF folder
 * has an independent target. Pooling is the model's own: mean of the last hidden state over the
 * attention mask, then L2 normalization. Writes {@code MODEL_DIR/reference-embeddings.json}
 * (sentence, token ids, vector) and prints cosine similarities of MMLU sociology questions against
 * their LMSYS rephrasings (matched pairs) and against other questions (mismatched pairs).
 *
 * <pre>
 * bench/embedding/fetch-minilm.sh /tmp/minilm
 * GRISTMILL_SKIP_BUILD=1 BENCH_XMX=2g bench/run.sh embedding.MiniLmReferenceMain /tmp/minilm ../shared 20
 * </pre>
 *
 * Args: model folder (from fetch-minilm.sh), shared folder, pairs per side (default 20).
 */
public final class MiniLmReferenceMain {
  static final List<String> SENTENCES =
      List.of(
          "A man is eating food.",
          "A man is eating a piece of bread.",
          "The girl is carrying a baby.",
          "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips"
              + " in May. How many clips did Natalia sell altogether in April and May?",
          "Natalia sold 48 clips in April and half that number in May; how many clips did she sell"
              + " over the two months?",
          "def add(a, b):\n    return a + b",
          "Café prices rose 12% in Zürich — naïve forecasts missed it.",
          "The quick brown fox jumps over the lazy dog.");
  private static final ObjectMapper JSON = new ObjectMapper();

  private MiniLmReferenceMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/minilm");
    Path shared = Path.of(args.length > 1 ? args[1] : "../shared");
    int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path onnx = dir.resolve("src/all-minilm-l6-v2.onnx");
    System.out.printf(
        "machine: %d cores visible; model %s; ONNX Runtime %s%n",
        Runtime.getRuntime().availableProcessors(),
        onnx,
        OrtEnvironment.getEnvironment().getVersion());
    try (HuggingFaceTokenizer tok =
            HuggingFaceTokenizer.builder()
                .optTokenizerPath(dir.resolve("tokenizer.json"))
                .optPadding(false)
                .optTruncation(true)
                .optMaxLength(128)
                .build();
        HuggingFaceTokenizer asShipped = HuggingFaceTokenizer.newInstance(dir);
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(2);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession session = env.createSession(onnx.toString(), opts)) {
        System.out.printf(
            "tokenizer.json asks for Fixed 128 padding; HuggingFaceTokenizer.newInstance(dir)"
                + " encodes %s to %d ids; the references below are unpadded%n",
            '"' + SENTENCES.get(0) + '"', asShipped.encode(SENTENCES.get(0)).getIds().length);
        writeReferences(session, env, tok, dir.resolve("reference-embeddings.json"));
        paraphrasePairs(session, env, tok, shared, pairs);
      }
    }
  }

  private static void writeReferences(
      OrtSession session, OrtEnvironment env, HuggingFaceTokenizer tok, Path out) throws Exception {
    List<Encoding> encs = new ArrayList<>();
    for (String s : SENTENCES) {
      encs.add(tok.encode(s));
    }
    long t0 = System.nanoTime();
    float[][] singles = new float[encs.size()][];
    for (int i = 0; i < encs.size(); i++) {
      singles[i] = embed(session, env, List.of(encs.get(i)), 0)[0];
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    float[][] batch = embed(session, env, encs, 0);
    float[][] padded128 = embed(session, env, encs, 128);
    System.out.printf(
        "%d sentences one at a time: %.1f ms; batch padded to longest vs singles: max |diff| %.2e;"
            + " padded to 128: %.2e%n",
        encs.size(), ms, maxAbsDiff(singles, batch), maxAbsDiff(singles, padded128));

    ObjectNode root = JSON.createObjectNode();
    root.put("model", "sentence-transformers/all-MiniLM-L6-v2 (ONNX export via langchain4j)");
    root.put("engine", "ONNX Runtime " + env.getVersion() + ", CPU, batch 1, no padding");
    root.put("pooling", "mean over attention_mask of last_hidden_state, then L2 normalize");
    root.put("token_type_ids", "all 0");
    ArrayNode items = root.putArray("sentences");
    for (int i = 0; i < encs.size(); i++) {
      ObjectNode it = items.addObject();
      it.put("sentence", SENTENCES.get(i));
      ArrayNode ids = it.putArray("input_ids");
      Arrays.stream(encs.get(i).getIds()).forEach(ids::add);
      ArrayNode vec = it.putArray("embedding");
      for (float v : singles[i]) {
        vec.add(v);
      }
    }
    Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    System.out.println("wrote " + out);
    System.out.print("cosine matrix of the fixed sentences:\n     ");
    for (int j = 0; j < singles.length; j++) {
      System.out.printf(" %6d", j);
    }
    System.out.println();
    for (int i = 0; i < singles.length; i++) {
      System.out.printf("%4d ", i);
      for (float[] other : singles) {
        System.out.printf(" %6.3f", dot(singles[i], other));
      }
      System.out.println();
    }
  }

  private static void paraphrasePairs(
      OrtSession session, OrtEnvironment env, HuggingFaceTokenizer tok, Path shared, int pairs)
      throws Exception {
    Path data = shared.resolve("data");
    List<BenchmarkItem> originals =
        BenchmarkLoader.load(
            new BenchmarkSpec(
                "mmlu",
                data.resolve("benchmarks/mmlu/test/sociology_test.csv").toString(),
                "csv",
                List.of("question"),
                null));
    List<String> rephrased = new ArrayList<>();
    for (String line :
        Files.readAllLines(
            data.resolve(
                "dedup_ground_truth/llm_decontaminator/rephrase/"
                    + "sociology_test_rephrase_english_filtered_question.jsonl"))) {
      if (!line.isBlank()) {
        rephrased.add(JSON.readTree(line).get("text").asText());
      }
    }
    int n = Math.min(originals.size(), rephrased.size());
    System.out.printf(
        "MMLU sociology: %d questions, %d LMSYS rephrasings (row i = row i)%n",
        originals.size(), rephrased.size());
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!rephrased.get(i).isBlank()) {
        rows.add(i);
      }
    }
    int m = rows.size();
    System.out.printf(
        "%d rephrasings are empty (rows left out: not a pair)%n", rephrased.size() - m);
    float[][] orig = new float[n][];
    float[][] reph = new float[n][];
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      orig[i] = embed(session, env, List.of(tok.encode(originals.get(i).text())), 0)[0];
      reph[i] = embed(session, env, List.of(tok.encode(rephrased.get(i))), 0)[0];
    }
    System.out.printf(
        "embedded %d texts one at a time in %.0f ms%n", 2 * n, (System.nanoTime() - t0) / 1e6);
    // The first `pairs` non-empty rows, and the same rephrasings against the question m/2 rows on.
    int k = Math.min(pairs, m);
    double[] matched = new double[k];
    double[] mismatched = new double[k];
    for (int r = 0; r < k; r++) {
      int i = rows.get(r);
      matched[r] = dot(orig[i], reph[i]);
      mismatched[r] = dot(orig[rows.get((r + m / 2) % m)], reph[i]);
    }
    summary("matched    (question i, rephrasing i)      ", matched);
    summary("mismatched (question i+" + m / 2 + ", rephrasing i)", mismatched);
    for (int r = 0; r < Math.min(3, k); r++) {
      int i = rows.get(r);
      System.out.printf(
          "  e.g. %.3f  %s  <->  %s%n",
          matched[r], clip(originals.get(i).text()), clip(rephrased.get(i)));
    }
    // All non-empty rows: each rephrasing's own question vs its nearest other question.
    double[] all = new double[m];
    double[] bestOther = new double[m];
    int top1 = 0;
    for (int r = 0; r < m; r++) {
      int i = rows.get(r);
      all[r] = dot(orig[i], reph[i]);
      double best = -2;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          best = Math.max(best, dot(orig[j], reph[i]));
        }
      }
      bestOther[r] = best;
      if (all[r] > best) {
        top1++;
      }
    }
    Integer[] order = new Integer[m];
    Arrays.setAll(order, r -> r);
    Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
    for (int q = 0; q < Math.min(3, m); q++) {
      int i = rows.get(order[q]);
      System.out.printf(
          "  lowest matched, row %d: %.3f  %s  <->  %s%n",
          i, all[order[q]], clip(originals.get(i).text()), clip(rephrased.get(i)));
    }
    summary("all " + m + " matched pairs                   ", all);
    summary("all " + m + " rephrasings vs nearest other q  ", bestOther);
    System.out.printf(
        "top-1 retrieval: %d/%d rephrasings are closest to their own question of %d (%.1f%%)%n",
        top1, m, n, 100.0 * top1 / m);
    for (double th : new double[] {0.5, 0.6, 0.7, 0.8}) {
      long tp = Arrays.stream(all).filter(c -> c >= th).count();
      long fp = Arrays.stream(bestOther).filter(c -> c >= th).count();
      System.out.printf(
          "threshold %.2f: %d/%d matched pairs at or above, %d/%d rephrasings have another"
              + " question at or above%n",
          th, tp, m, fp, m);
    }
  }

  /** Mean-pooled, L2-normalized embeddings; pads to {@code padTo} (0: the longest) with id 0. */
  static float[][] embed(OrtSession session, OrtEnvironment env, List<Encoding> encs, int padTo)
      throws OrtException {
    int len = padTo;
    for (Encoding e : encs) {
      len = Math.max(len, e.getIds().length);
    }
    long[][] ids = new long[encs.size()][len];
    long[][] mask = new long[encs.size()][len];
    long[][] types = new long[encs.size()][len];
    for (int b = 0; b < encs.size(); b++) {
      long[] src = encs.get(b).getIds();
      System.arraycopy(src, 0, ids[b], 0, src.length);
      Arrays.fill(mask[b], 0, src.length, 1L);
    }
    try (OnnxTensor tIds = OnnxTensor.createTensor(env, ids);
        OnnxTensor tMask = OnnxTensor.createTensor(env, mask);
        OnnxTensor tTypes = OnnxTensor.createTensor(env, types);
        OrtSession.Result r =
            session.run(
                Map.of("input_ids", tIds, "attention_mask", tMask, "token_type_ids", tTypes))) {
      float[][][] hidden = (float[][][]) r.get(0).getValue();
      float[][] out = new float[encs.size()][];
      for (int b = 0; b < encs.size(); b++) {
        out[b] = meanPoolNormalize(hidden[b], mask[b]);
      }
      return out;
    }
  }

  static float[] meanPoolNormalize(float[][] hidden, long[] mask) {
    int d = hidden[0].length;
    double[] sum = new double[d];
    double count = 0;
    for (int t = 0; t < hidden.length; t++) {
      if (mask[t] != 0) {
        count++;
        for (int j = 0; j < d; j++) {
          sum[j] += hidden[t][j];
        }
      }
    }
    double norm = 0;
    for (int j = 0; j < d; j++) {
      sum[j] /= Math.max(count, 1e-9);
      norm += sum[j] * sum[j];
    }
    norm = Math.max(Math.sqrt(norm), 1e-12);
    float[] v = new float[d];
    for (int j = 0; j < d; j++) {
      v[j] = (float) (sum[j] / norm);
    }
    return v;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (double) a[j] * b[j];
    }
    return s;
  }

  private static double maxAbsDiff(float[][] a, float[][] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return m;
  }

  private static void summary(String label, double[] v) {
    System.out.printf(
        "%s n=%d mean %.3f min %.3f max %.3f%n",
        label,
        v.length,
        Arrays.stream(v).average().orElse(Double.NaN),
        Arrays.stream(v).min().orElse(Double.NaN),
        Arrays.stream(v).max().orElse(Double.NaN));
  }

  private static String clip(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= 70 ? one : one.substring(0, 67) + "...";
  }
}
