package io.gristmill.curation.decontam.paraphrase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.curation.decontam.BenchmarkItem;
import io.gristmill.curation.decontam.BenchmarkLoader;
import io.gristmill.curation.decontam.BenchmarkSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Recall / false-positive measurement of paraphrase matching on ../shared/data: LMSYS rephrasings
 * planted as a turn of clean conversations, split by item index (even: tuning half, odd: held-out),
 * clean rows, GSM-Hard (GSM8K with numbers changed) and the hand-written hard negatives.
 */
final class ParaphraseEval {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParaphraseEval() {}

  /** A planted or clean text, the benchmark item it should match (null: none). */
  record Case(String set, String text, String expectBenchmark, String expectItem, int index) {}

  /** Counts of one set. */
  record Rate(String set, int hits, int total) {
    double pct() {
      return total == 0 ? 0 : 100.0 * hits / total;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s %d/%d (%.1f%%)", set, hits, total, pct());
    }
  }

  static List<BenchmarkSpec> specs(Path data) {
    return List.of(
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
  }

  static List<BenchmarkItem> items(Path data) {
    List<BenchmarkItem> out = new ArrayList<>();
    for (BenchmarkSpec s : specs(data)) {
      out.addAll(BenchmarkLoader.load(s));
    }
    return out;
  }

  static List<JsonNode> jsonl(Path p) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(p);
        InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }

  /** LMSYS rephrasings, each with its benchmark item; empty rephrasings left out. */
  static List<Case> rephrasings(Path data) throws IOException {
    Path dir = data.resolve("dedup_ground_truth/llm_decontaminator/rephrase");
    List<Case> out = new ArrayList<>();
    List<JsonNode> gsm = jsonl(dir.resolve("rephrase_gsm8k.jsonl"));
    for (int i = 0; i < gsm.size(); i++) {
      out.add(new Case("gsm8k", gsm.get(i).get("text").asText(), "gsm8k", String.valueOf(i), i));
    }
    List<JsonNode> py = jsonl(dir.resolve("humaneval_python.jsonl"));
    for (int i = 0; i < py.size(); i++) {
      out.add(
          new Case("humaneval", py.get(i).get("text").asText(), "humaneval", "HumanEval/" + i, i));
    }
    for (String subject : List.of("abstract_algebra", "high_school_us_history", "sociology")) {
      List<JsonNode> rows =
          jsonl(dir.resolve(subject + "_test_rephrase_english_filtered_question.jsonl"));
      for (int i = 0; i < rows.size(); i++) {
        String t = rows.get(i).get("text").asText();
        if (!t.isBlank()) {
          out.add(new Case("mmlu", t, "mmlu", subject + "_test:" + i, i));
        }
      }
    }
    return out;
  }

  /** The items' own text (verbatim leaks), every 5th GSM8K / MMLU item and every HumanEval. */
  static List<Case> verbatim(List<BenchmarkItem> items) {
    List<Case> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      BenchmarkItem it = items.get(i);
      if (it.benchmark().equals("humaneval") || i % 5 == 0) {
        out.add(new Case("verbatim-" + it.benchmark(), it.text(), it.benchmark(), it.item(), i));
      }
    }
    return out;
  }

  /** Clean turns: HH-RLHF chosen transcripts (each turn) and GPTeacher Roleplay rows. */
  static List<List<String>> clean(Path data) throws IOException {
    List<List<String>> out = new ArrayList<>();
    for (JsonNode n : jsonl(data.resolve("sft_chat/hh_rlhf_harmless_base_test/test.jsonl.gz"))) {
      List<String> turns = new ArrayList<>();
      for (String part : n.get("chosen").asText().split("\n\n(?=Human:|Assistant:)")) {
        String t = part.replaceFirst("^(Human|Assistant):\\s*", "").strip();
        if (!t.isEmpty()) {
          turns.add(t);
        }
      }
      out.add(turns);
    }
    JsonNode rp =
        JSON.readTree(
            data.resolve(
                    "sft_chat/gpteacher/Roleplay/roleplay-simple-deduped-roleplay-instruct.json")
                .toFile());
    for (JsonNode n : rp) {
      String user = n.get("instruction").asText();
      if (n.hasNonNull("input") && !n.get("input").asText().isBlank()) {
        user = user + "\n" + n.get("input").asText();
      }
      out.add(List.of(user, n.get("response").asText()));
    }
    return out;
  }

  /**
   * GSM-Hard questions: GSM8K test with a number changed; the 329 rows that are identical to a
   * GSM8K question (up to whitespace, quotes and case) are left out, they are not negatives.
   */
  static List<Case> gsmHard(Path data) throws IOException {
    java.util.Set<String> originals = new java.util.HashSet<>();
    for (JsonNode n : jsonl(data.resolve("rl_prompts/gsm8k/test.jsonl"))) {
      originals.add(normalized(n.get("question").asText()));
    }
    List<Case> out = new ArrayList<>();
    List<JsonNode> rows = jsonl(data.resolve("rl_prompts/gsm_hard/test.jsonl"));
    for (int i = 0; i < rows.size(); i++) {
      String t = rows.get(i).get("input").asText();
      if (!originals.contains(normalized(t))) {
        out.add(new Case("gsm-hard", t, null, null, i));
      }
    }
    return out;
  }

  private static String normalized(String s) {
    return s.replace('\u2019', '\'').replaceAll("\\s+", " ").strip().toLowerCase(Locale.ROOT);
  }

  /** The hand-written hard negatives (test resource decontam/hard_negatives.jsonl). */
  static List<Case> handWritten() throws IOException {
    List<Case> out = new ArrayList<>();
    try (InputStream in =
            ParaphraseEval.class.getResourceAsStream("/decontam/hard_negatives.jsonl");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int i = 0;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          JsonNode n = JSON.readTree(line);
          out.add(
              new Case(
                  "hard-" + n.get("near").asText(),
                  n.get("text").asText(),
                  null,
                  n.get("near").asText() + ":" + n.get("item").asText(),
                  i++));
        }
      }
    }
    return out;
  }

  /** Vectors of texts already encoded, kept in a file between runs (tuning re-reads them). */
  static final class VectorCache {
    private final Path file;
    private final java.util.Map<String, float[]> map;

    @SuppressWarnings("unchecked")
    VectorCache(Path file) throws IOException {
      this.file = file;
      java.util.Map<String, float[]> m = new java.util.HashMap<>();
      if (Files.exists(file)) {
        try (var in =
            new java.io.ObjectInputStream(
                new java.io.BufferedInputStream(Files.newInputStream(file)))) {
          m = (java.util.Map<String, float[]>) in.readObject();
        } catch (ClassNotFoundException e) {
          throw new IOException(e);
        }
      }
      this.map = m;
    }

    float[][] encode(List<String> texts, io.gristmill.rollout.encoder.BertEncoder enc) {
      List<String> todo = new ArrayList<>();
      for (String t : new java.util.LinkedHashSet<>(texts)) {
        if (!map.containsKey(t)) {
          todo.add(t);
        }
      }
      if (!todo.isEmpty()) {
        float[][] v = enc.encode(todo, 64);
        for (int i = 0; i < v.length; i++) {
          map.put(todo.get(i), v[i]);
        }
      }
      float[][] out = new float[texts.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = map.get(texts.get(i));
      }
      return out;
    }

    void save() throws IOException {
      try (var out =
          new java.io.ObjectOutputStream(
              new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
        out.writeObject(new java.util.HashMap<>(map));
      }
    }
  }

  /**
   * Prints, for tuning an embedding-verified path: per MMLU tuning-half rephrasing the cosine and
   * question-term containment of its own item ("POS"), and per clean turn the same for its nearest
   * choice entry ("NEG").
   */
  static void diagnose(
      ParaphraseIndex index,
      ParaphraseMatcher pm,
      EmbeddingIndex ev,
      VectorCache cache,
      io.gristmill.rollout.encoder.BertEncoder enc,
      List<Case> reph,
      List<List<String>> clean) {
    float[] all = ev.vectors();
    int dim = ev.dim();
    java.util.function.BiFunction<float[], Integer, Double> cos =
        (q, e) -> {
          double d = 0;
          for (int k = 0; k < dim; k++) {
            d += q[k] * all[e * dim + k];
          }
          return d;
        };
    for (Case c : reph) {
      if (!c.set().equals("mmlu") || c.index() % 2 != 0) {
        continue;
      }
      float[] q = cache.encode(List.of(c.text()), enc)[0];
      ParaphraseIndex.Query query = index.query(Profile.of(c.text()));
      double best = -2;
      double[] bestQ = {0, 0};
      for (int e = 0; e < index.entries.length; e++) {
        ParaphraseIndex.Entry en = index.entries[e];
        if (en.item.benchmark().equals("mmlu") && en.item.item().equals(c.expectItem())) {
          double v = cos.apply(q, e);
          if (v > best) {
            best = v;
            bestQ = index.containment(en.questionIds, query);
          }
        }
      }
      List<EmbeddingIndex.Hit> top = ev.nearest(q, 1, -2);
      boolean rank1 =
          !top.isEmpty() && index.entries[top.get(0).entry()].item.item().equals(c.expectItem());
      System.out.printf(
          Locale.ROOT,
          "POS %.4f %.3f %.1f %s %s%n",
          best,
          bestQ[0],
          bestQ[1],
          rank1,
          caught(of(pm), c));
    }
    for (List<String> turns : clean) {
      double best = -2;
      double[] bestQ = {0, 0};
      for (String t : turns) {
        float[] q = cache.encode(List.of(t), enc)[0];
        for (EmbeddingIndex.Hit h : ev.nearest(q, 3, -2)) {
          ParaphraseIndex.Entry en = index.entries[h.entry()];
          if ("choice".equals(en.item.kind()) && h.cosine() > best) {
            best = h.cosine();
            bestQ = index.containment(en.questionIds, index.query(Profile.of(t)));
          }
        }
      }
      System.out.printf(Locale.ROOT, "NEG %.4f %.3f %.1f%n", best, bestQ[0], bestQ[1]);
    }
  }

  /** Turns a text into its matches: terms alone, or terms plus the embedding's nearest items. */
  interface Matcher {
    List<ParaphraseMatch> match(String text);
  }

  /** The matcher alone as a {@link Matcher}. */
  static Matcher of(ParaphraseMatcher m) {
    return m::match;
  }

  /**
   * Terms plus embedding: every text of {@code texts} is encoded once by {@code encode}, and its
   * nearest entries (at least {@code minCosine}, at most {@code topK}) join its candidates.
   */
  static Matcher withEmbedding(
      ParaphraseMatcher m,
      EmbeddingIndex items,
      java.util.function.Function<List<String>, float[][]> encode,
      List<String> texts,
      int topK,
      double minCosine) {
    java.util.Map<String, float[]> vec = new java.util.HashMap<>();
    List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(texts));
    float[][] v = encode.apply(distinct);
    for (int i = 0; i < v.length; i++) {
      vec.put(distinct.get(i), v[i]);
    }
    return t -> {
      float[] q = vec.get(t);
      return q == null ? m.match(t) : m.match(t, items.nearest(q, topK, minCosine));
    };
  }

  /** A planted case is caught when the expected item is among the turn's matches. */
  static boolean caught(Matcher m, Case c) {
    return m.match(c.text()).stream()
        .anyMatch(
            x -> x.benchmark().equals(c.expectBenchmark()) && x.item().equals(c.expectItem()));
  }

  static Rate recall(Matcher m, List<Case> cases, String set, Predicate<Case> which) {
    int hit = 0;
    int total = 0;
    for (Case c : cases) {
      if (c.set().equals(set) && which.test(c)) {
        total++;
        if (caught(m, c)) {
          hit++;
        }
      }
    }
    return new Rate(set, hit, total);
  }

  static Rate flagged(Matcher m, List<Case> cases, String name) {
    int hit = 0;
    for (Case c : cases) {
      if (!m.match(c.text()).isEmpty()) {
        hit++;
      }
    }
    return new Rate(name, hit, cases.size());
  }

  /** Clean conversations with any turn matched. */
  static Rate cleanFlagged(Matcher m, List<List<String>> convs) {
    int hit = 0;
    for (List<String> turns : convs) {
      if (turns.stream().anyMatch(t -> !m.match(t).isEmpty())) {
        hit++;
      }
    }
    return new Rate("clean", hit, convs.size());
  }

  private static Double prop(String k) {
    String v = System.getProperty("pp." + k);
    return v == null ? null : Double.valueOf(v);
  }

  /** Prints the full measurement; {@code main(data-dir)} for iterating outside the test. */
  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
    long t0 = System.nanoTime();
    List<BenchmarkItem> items = items(data);
    System.out.printf("loaded: %d items, %.1f s%n", items.size(), (System.nanoTime() - t0) / 1e9);
    ParaphraseConfig cfg =
        new ParaphraseConfig(
            null,
            null,
            prop("floor"),
            null,
            prop("minInfo"),
            null,
            prop("asked"),
            prop("code"),
            null,
            prop("qmin"),
            null,
            prop("qonly"),
            null,
            prop("chars"),
            prop("cover"),
            null,
            prop("window"),
            prop("windowMin") == null ? null : prop("windowMin").intValue(),
            prop("qonlyTerms") == null ? null : prop("qonlyTerms").intValue(),
            null);
    String model = System.getProperty("pp.embedding");
    if (model != null) {
      EmbeddingConfig e = EmbeddingConfig.of(model);
      cfg =
          cfg.withEmbedding(
              e.withAccept(
                  prop("accept") == null ? e.acceptCosine() : prop("accept"),
                  prop("acceptInfo") == null ? e.acceptMinInfo() : prop("acceptInfo")));
    }
    ParaphraseIndex pindex = ParaphraseIndex.build(items, cfg);
    ParaphraseMatcher pm = new ParaphraseMatcher(pindex, cfg);
    System.out.printf("index: %d items, %.1f s%n", items.size(), (System.nanoTime() - t0) / 1e9);
    List<Case> reph = rephrasings(data);
    Matcher m = of(pm);
    if (model != null) {
      // -Dpp.embedding=DIR (a BERT-family folder) -Dpp.cos=0.8 -Dpp.etop=5: every text of every
      // set is encoded once up front; item vectors are cached next to the model by index size.
      var enc = io.gristmill.rollout.encoder.BertEncoder.load(Path.of(model), ai.djl.Device.cpu());
      io.gristmill.rollout.CausalLm.setThreads(Runtime.getRuntime().availableProcessors());
      VectorCache cache =
          new VectorCache(Path.of(System.getProperty("pp.cache", "/tmp/pe-vectors.bin")));
      EmbeddingIndex ev = EmbeddingIndex.build(pindex, texts -> cache.encode(texts, enc));
      System.out.printf("item vectors: %d, %.1f s%n", ev.size(), (System.nanoTime() - t0) / 1e9);
      List<String> texts = new ArrayList<>();
      reph.forEach(c -> texts.add(c.text()));
      verbatim(items).forEach(c -> texts.add(c.text()));
      gsmHard(data).forEach(c -> texts.add(c.text()));
      handWritten().forEach(c -> texts.add(c.text()));
      clean(data).forEach(texts::addAll);
      double cos = prop("cos") == null ? 0.8 : prop("cos");
      int etop = prop("etop") == null ? 5 : prop("etop").intValue();
      m = withEmbedding(pm, ev, t -> cache.encode(t, enc), texts, etop, cos);
      cache.save();
      if (System.getProperty("pp.diag") != null) {
        diagnose(pindex, pm, ev, cache, enc, reph, clean(data));
      }
      System.out.printf(
          "embedding: %d texts encoded, min_cosine %.2f, top %d, %.1f s%n",
          texts.size(), cos, etop, (System.nanoTime() - t0) / 1e9);
    }
    for (String set : List.of("gsm8k", "humaneval", "mmlu")) {
      System.out.println(
          "tune "
              + recall(m, reph, set, c -> c.index() % 2 == 0)
              + " | held-out "
              + recall(m, reph, set, c -> c.index() % 2 == 1));
    }
    List<Case> verb = verbatim(items);
    for (String set :
        List.of("verbatim-gsm8k", "verbatim-humaneval", "verbatim-mmlu", "verbatim-math")) {
      System.out.println(recall(m, verb, set, c -> true));
    }
    System.out.println(flagged(m, gsmHard(data), "gsm-hard"));
    System.out.println(flagged(m, handWritten(), "hand-written hard negatives"));
    System.out.println(cleanFlagged(m, clean(data)));
    if (args.length > 1 && args[1].equals("fp")) {
      for (Case c : handWritten()) {
        var ms = m.match(c.text());
        if (!ms.isEmpty()) {
          System.out.println(
              "HAND " + c.expectItem() + " " + ms + " :: " + c.text().replace('\n', ' '));
        }
      }
      int k = 0;
      for (Case c : gsmHard(data)) {
        var ms = m.match(c.text());
        if (!ms.isEmpty() && k++ < 8) {
          System.out.println("HARD " + c.index() + " " + ms + " :: " + c.text());
        }
      }
      k = 0;
      for (List<String> turns : clean(data)) {
        for (String t : turns) {
          var ms = m.match(t);
          if (!ms.isEmpty() && k++ < 25) {
            System.out.println(
                "CLEAN "
                    + ms
                    + " :: "
                    + t.replace('\n', ' ').substring(0, Math.min(250, t.length())));
          }
        }
      }
    }
    if (args.length > 1) {
      for (Case c : reph) {
        if (c.set().equals(args[1]) && c.index() % 2 == 0 && !caught(m, c)) {
          System.out.println(
              "MISS "
                  + c.expectItem()
                  + " :: "
                  + c.text().replace('\n', ' ').substring(0, Math.min(300, c.text().length())));
        }
      }
    }
    System.out.printf("total %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }
}
