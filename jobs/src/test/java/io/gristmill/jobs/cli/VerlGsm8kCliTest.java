package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.testing.NodeReaders;
import io.gristmill.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 finding: a curated GSM8K snapshot exported 0 verl rows with exit 0. Now {@code curate}
 * of GSM8K's test set then {@code export --format verl} of the dataset folder writes all 1,319
 * rows, and DuckDB reads each row's {@code reward_model.ground_truth} equal to the number after
 * {@code ####} in the source line (checked for every row).
 */
class VerlGsm8kCliTest {
  @Test
  void curatedGsm8kExportsEveryRowWithItsAnswer(@TempDir Path tmp) throws Exception {
    Path gsm = SharedData.require("rl_prompts/gsm8k/test.jsonl");
    NodeReaders.require();
    Map<String, String> expected = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(gsm)) {
      JsonNode r = json.readTree(line);
      String answer = r.get("answer").asText();
      String number = answer.substring(answer.lastIndexOf("####") + 4).trim().replace(",", "");
      expected.put(r.get("question").asText(), number);
    }
    assertThat(expected).hasSize(1319);
    Path cfg = tmp.resolve("gsm8k.yaml");
    Files.writeString(
        cfg,
        "dataset: gsm8k-test\nsources:\n  - {name: gsm8k, path: '"
            + gsm
            + "', format: gsm8k}\nexact_dedup: {prompt_level: false}\n");
    Path out = tmp.resolve("out");
    CliRunner.run(
        "curate", "--config", cfg.toString(), "--output", out.toString(), "--master", "local[2]");
    Path verl = tmp.resolve("verl");
    String export =
        CliRunner.run(
            "export",
            "--snapshot",
            out.resolve("gsm8k-test").toString(),
            "--format",
            "verl",
            "--output",
            verl.toString(),
            "--master",
            "local[2]");
    assertThat(export).contains("Exported to: ");
    JsonNode duck = NodeReaders.run("read-parquet.mjs", verl.resolve("*.parquet").toString());
    List<JsonNode> rows = new java.util.ArrayList<>();
    duck.get("rows").forEach(rows::add);
    assertThat(rows).hasSize(1319);
    for (JsonNode r : rows) {
      String question = r.get("prompt").get(r.get("prompt").size() - 1).get("content").asText();
      assertThat(expected).containsKey(question);
      assertThat(r.get("reward_model").get("ground_truth").asText())
          .as(question)
          .isEqualTo(expected.get(question));
      assertThat(r.get("data_source").asText()).isEqualTo("openai/gsm8k");
    }
  }
}
