package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SharedData;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Ingests the RL prompt sets of {@code ../shared/data/rl_prompts} (GSM8K, MATH, MATH-500, GSM-Hard,
 * AIME 2024, AMC 2023, OlympiadBench, Minerva) and checks the prompt-set columns of every row
 * against its own source line (found by the row's {@code line}). Skips without the data.
 */
class SharedDataPromptSetTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BOXED = "\\boxed{";

  /** One ingested row with the JSON of its source line. */
  private record Pair(Conversation row, JsonNode src) {}

  private List<Pair> ingest(String relative, Format format) throws Exception {
    Path file = SharedData.require(relative);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Row> rows =
        IngestSparkStage.run(
                spark,
                List.of(SourceConfig.of(format.toString(), file.toString(), format)),
                IngestConfig.defaults())
            .kept()
            .collectAsList();
    assertThat(rows).as("every line of %s is kept", relative).hasSize(lines.size());
    List<Pair> out = new java.util.ArrayList<>();
    for (Row r : rows) {
      Conversation c = SparkSchemas.fromRow(r);
      assertThat(c.file()).endsWith(relative);
      assertThat(c.line()).isBetween(1L, (long) lines.size());
      assertThat(c.dataSource()).isEqualTo(format.defaultDataSource());
      out.add(new Pair(c, JSON.readTree(lines.get((int) c.line() - 1))));
    }
    return out;
  }

  /**
   * Whether {@code gt} is the content of the last {@code \boxed{}} of {@code solution}, up to
   * whitespace around it ({@code \boxed{ \frac{1}{8}}}).
   */
  private static boolean isLastBoxed(String solution, String gt) {
    int last = solution.lastIndexOf(BOXED);
    if (gt == null || last < 0) {
      return false;
    }
    String rest = solution.substring(last + BOXED.length()).stripLeading();
    return rest.startsWith(gt) && rest.substring(gt.length()).stripLeading().startsWith("}");
  }

  @Test
  void everyGsm8kRowCarriesTheNumberAfterItsMarker() throws Exception {
    for (Pair p : ingest("rl_prompts/gsm8k/test.jsonl", Format.GSM8K)) {
      String answer = p.src().get("answer").asText();
      String expected = answer.substring(answer.lastIndexOf("####") + 4).trim().replace(",", "");
      assertThat(p.row().groundTruth()).as("line %d", p.row().line()).isEqualTo(expected);
      assertThat(p.row().firstUserTurn()).isEqualTo(p.src().get("question").asText());
      assertThat(p.row().messages().get(1).content()).isEqualTo(answer);
    }
  }

  @Test
  void everyMathRowWithABoxCarriesItsLastBoxedAnswer() throws Exception {
    List<Pair> rows = ingest("rl_prompts/math/test.jsonl", Format.MATH);
    long boxed = 0;
    for (Pair p : rows) {
      String solution = p.src().get("solution").asText();
      if (solution.contains(BOXED)) {
        boxed++;
        assertThat(isLastBoxed(solution, p.row().groundTruth()))
            .as("line %d: %s", p.row().line(), p.row().groundTruth())
            .isTrue();
      } else {
        assertThat(p.row().groundTruth()).isNull();
      }
      assertThat(p.row().firstUserTurn()).isEqualTo(p.src().get("problem").asText());
    }
    System.out.printf(
        Locale.ROOT, "MATH test: %d/%d rows have a \\boxed{} answer%n", boxed, rows.size());
    assertThat(boxed).isGreaterThan(rows.size() * 99L / 100);
  }

  @Test
  void everyMath500RowCarriesItsAnswerWhichIsMostlyItsBoxedOne() throws Exception {
    List<Pair> rows = ingest("rl_prompts/math500/test.jsonl", Format.MATH500);
    long same = 0;
    for (Pair p : rows) {
      String answer = p.src().get("answer").asText();
      assertThat(p.row().groundTruth()).as("line %d", p.row().line()).isEqualTo(answer);
      if (answer.equals(GroundTruth.lastBoxed(p.src().get("solution").asText()))) {
        same++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "MATH-500: answer equals the last \\boxed{} of the solution on %d/%d rows%n",
        same,
        rows.size());
    assertThat(same).isGreaterThan(rows.size() * 95L / 100);
  }

  @Test
  void gsmHardRowsCarryTheirTarget() throws Exception {
    for (Pair p : ingest("rl_prompts/gsm_hard/test.jsonl", Format.GSM_HARD)) {
      double target = p.src().get("target").asDouble();
      assertThat(Double.parseDouble(p.row().groundTruth())).isEqualTo(target);
      assertThat(p.row().groundTruth()).doesNotEndWith(".0").doesNotContain("E");
      assertThat(p.row().firstUserTurn()).isEqualTo(p.src().get("input").asText());
      assertThat(p.row().messages()).hasSize(1);
    }
  }

  @Test
  void aimeAndAmcRowsCarryTheirAnswer() throws Exception {
    for (Pair p : ingest("rl_prompts/aime24/test.jsonl", Format.AIME24)) {
      assertThat(p.row().groundTruth()).isEqualTo(p.src().get("answer").asText());
      assertThat(p.row().messages()).hasSize(2);
    }
    for (Pair p : ingest("rl_prompts/amc23/test.jsonl", Format.AMC23)) {
      double answer = p.src().get("answer").asDouble();
      assertThat(Double.parseDouble(p.row().groundTruth())).isEqualTo(answer);
      assertThat(p.row().firstUserTurn()).isEqualTo(p.src().get("problem").asText());
    }
  }

  @Test
  void olympiadBenchAndMinervaRowsCarryTheirAnswer() throws Exception {
    for (Pair p : ingest("rl_prompts/olympiadbench/test.jsonl", Format.OLYMPIADBENCH)) {
      String first = p.src().get("final_answer").get(0).asText();
      assertThat(p.src().get("final_answer")).hasSize(1);
      assertThat(p.row().groundTruth())
          .isEqualTo(first.trim().replaceAll("^\\$+|\\$+$", "").trim());
      assertThat(p.row().groundTruth()).doesNotStartWith("$").doesNotEndWith("$");
      assertThat(p.row().messages().get(1).content())
          .isEqualTo(p.src().get("solution").get(0).asText());
    }
    List<Pair> minerva = ingest("rl_prompts/minerva_math/test.jsonl", Format.MINERVA_MATH);
    for (Pair p : minerva) {
      String solution = p.src().get("solution").asText();
      assertThat(isLastBoxed(solution, p.row().groundTruth()))
          .as("line %d: %s", p.row().line(), p.row().groundTruth())
          .isTrue();
    }
  }
}
