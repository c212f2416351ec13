package io.gristmill.curation.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Message;
import io.gristmill.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decontamination on ../shared/data (skipped where absent), without Spark: verbatim GSM8K and
 * HumanEval items are all caught with the right item; LLM rephrasings are measured, not tuned for.
 */
class SharedDataDecontaminationTest {

  private static DecontaminationConfig config() {
    Path gsm = SharedData.require("rl_prompts/gsm8k/test.jsonl");
    Path he = SharedData.require("benchmarks/humaneval/HumanEval.jsonl.gz");
    return new DecontaminationConfig(
        null,
        null,
        null,
        null,
        List.of(
            new BenchmarkSpec("gsm8k", gsm.toString(), null, List.of("question"), null),
            new BenchmarkSpec("humaneval", he.toString(), null, List.of("prompt"), "task_id")),
        null,
        null);
  }

  private static List<JsonNode> lines(Path p) throws IOException {
    return Files.readAllLines(p).stream()
        .filter(l -> !l.isBlank())
        .map(DecontamUtil::tree)
        .toList();
  }

  @Test
  void everyPlantedVerbatimItemIsFlaggedWithItsBenchmarkAndItem() throws IOException {
    DecontaminationConfig cfg = config();
    ContaminationMatcher m =
        new ContaminationMatcher(DecontaminationSparkStage.buildIndex(cfg), cfg);
    List<JsonNode> gsm = lines(SharedData.require("rl_prompts/gsm8k/test.jsonl"));
    for (int i = 0; i < gsm.size(); i += 7) {
      String q = gsm.get(i).get("question").asText();
      List<io.gristmill.curation.decontam.NgramIndex.Match> hits =
          m.match(List.of(Message.user("Please help: " + q), Message.assistant("Sure.")));
      assertThat(hits).as("gsm8k item %d", i).isNotEmpty();
      assertThat(hits.get(0).benchmark()).isEqualTo("gsm8k");
      assertThat(hits.get(0).item()).isEqualTo(String.valueOf(i));
    }
    List<BenchmarkItem> he = BenchmarkLoader.load(cfg.benchmarks().get(1));
    for (BenchmarkItem it : he) {
      var hits = m.match(List.of(Message.user("Complete this:\n" + it.text())));
      assertThat(hits).as(it.item()).isNotEmpty();
      // Some HumanEval prompts are near-copies of each other (e.g. the correct_bracketing pair):
      // the planted item must be among the full matches.
      assertThat(hits)
          .filteredOn(h -> h.overlap() == 1.0)
          .extracting(h -> h.benchmark() + ":" + h.item())
          .contains("humaneval:" + it.item());
    }
    assertThat(
            m.match(
                List.of(
                    Message.user(
                        "Write a haiku about autumn leaves falling in a quiet mountain village at"
                            + " dawn while the river keeps running."))))
        .isEmpty();
  }

  @Test
  void measuresHowManyLlmRephrasingsNgramMatchingCatches() throws IOException {
    DecontaminationConfig cfg = config();
    ContaminationMatcher m =
        new ContaminationMatcher(DecontaminationSparkStage.buildIndex(cfg), cfg);
    Path dir = SharedData.require("dedup_ground_truth/llm_decontaminator/rephrase");
    List<JsonNode> gsm = lines(dir.resolve("rephrase_gsm8k.jsonl"));
    int caught = 0;
    for (int i = 0; i < gsm.size(); i++) {
      var hits = m.match(List.of(Message.user(gsm.get(i).get("text").asText())));
      if (!hits.isEmpty()) {
        caught++;
        assertThat(hits.get(0).item())
            .as("row %d matches its own item", i)
            .isEqualTo(String.valueOf(i));
      }
    }
    List<JsonNode> py = lines(dir.resolve("humaneval_python.jsonl"));
    int caughtPy = 0;
    for (int i = 0; i < py.size(); i++) {
      var hits = m.match(List.of(Message.user(py.get(i).get("text").asText())));
      if (hits.stream().anyMatch(h -> h.benchmark().equals("humaneval"))) {
        caughtPy++;
      }
    }
    System.out.printf(
        "LLM-decontaminator rephrasings caught by 13-gram matching: GSM8K %d/%d (%.1f%%),"
            + " HumanEval-python %d/%d (%.1f%%)%n",
        caught,
        gsm.size(),
        100.0 * caught / gsm.size(),
        caughtPy,
        py.size(),
        100.0 * caughtPy / py.size());
    assertThat(gsm).hasSize(1319);
    assertThat(caught).isBetween(0, gsm.size());
    assertThat(py).hasSize(164);
  }
}
