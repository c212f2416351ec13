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

  /** A planted case is caught when the expected item is among the turn's matches. */
  static boolean caught(ParaphraseMatcher m, Case c) {
    return m.match(c.text()).stream()
        .anyMatch(
            x -> x.benchmark().equals(c.expectBenchmark()) && x.item().equals(c.expectItem()));
  }

  static Rate recall(ParaphraseMatcher m, List<Case> cases, String set, Predicate<Case> which) {
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

  static Rate flagged(ParaphraseMatcher m, List<Case> cases, String name) {
    int hit = 0;
    for (Case c : cases) {
      if (!m.match(c.text()).isEmpty()) {
        hit++;
      }
    }
    return new Rate(name, hit, cases.size());
  }

  /** Clean conversations with any turn matched. */
  static Rate cleanFlagged(ParaphraseMatcher m, List<List<String>> convs) {
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
    ParaphraseMatcher m = new ParaphraseMatcher(ParaphraseIndex.build(items, cfg), cfg);
    System.out.printf("index: %d items, %.1f s%n", items.size(), (System.nanoTime() - t0) / 1e9);
    List<Case> reph = rephrasings(data);
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
