package io.gristmill.scoring.reward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.testing.SharedData;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: the answer extracted from a reference solution's {@code \boxed{}} is judged
 * equivalent to the given answer on at least 99.5% of MATH-500, and of the MATH test problems that
 * MATH-500 also holds; for the other MATH test problems, self-consistency (an answer is extracted
 * and is judged equivalent to itself) is reported.
 */
class MathBoxedAgreementTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MathEquivalence eq = new MathEquivalence(1e-6);

  @Test
  void math500BoxedAnswersMatchGivenAnswers() throws Exception {
    List<JsonNode> rows = read(SharedData.require("rl_prompts/math500/test.jsonl"));
    int agree = 0;
    for (JsonNode n : rows) {
      String boxed = AnswerExtractor.lastBoxed(n.get("solution").asText(), budget());
      if (boxed != null && eq.equivalent(boxed, n.get("answer").asText(), budget())) {
        agree++;
      } else {
        System.out.println(
            "MATH-500 disagreement "
                + n.get("unique_id").asText()
                + ": boxed=["
                + boxed
                + "] answer=["
                + n.get("answer").asText()
                + "]");
      }
    }
    double rate = agree / (double) rows.size();
    System.out.printf(
        Locale.ROOT, "MATH-500 boxed vs answer: %d/%d = %.4f%n", agree, rows.size(), rate);
    assertThat(rows).hasSize(500);
    assertThat(rate).isGreaterThanOrEqualTo(0.995);
  }

  @Test
  void mathTestBoxedAnswersMatchMath500OrThemselves() throws Exception {
    Map<String, String> answerByProblem = new HashMap<>();
    for (JsonNode n : read(SharedData.require("rl_prompts/math500/test.jsonl"))) {
      answerByProblem.put(n.get("problem").asText(), n.get("answer").asText());
    }
    List<JsonNode> rows = read(SharedData.require("rl_prompts/math/test.jsonl"));
    int matched = 0;
    int matchedAgree = 0;
    int others = 0;
    int selfConsistent = 0;
    List<String> misses = new ArrayList<>();
    for (JsonNode n : rows) {
      String boxed = AnswerExtractor.lastBoxed(n.get("solution").asText(), budget());
      String given = answerByProblem.get(n.get("problem").asText());
      if (given != null) {
        matched++;
        if (boxed != null && eq.equivalent(boxed, given, budget())) {
          matchedAgree++;
        } else {
          misses.add("MATH idx " + n.get("idx") + ": boxed=[" + boxed + "] answer=[" + given + "]");
        }
      } else {
        others++;
        if (boxed != null && eq.equivalent(boxed, boxed, budget())) {
          selfConsistent++;
        } else {
          misses.add(
              "MATH idx " + n.get("idx") + ": no self-consistent boxed answer [" + boxed + "]");
        }
      }
    }
    misses.forEach(System.out::println);
    System.out.printf(
        Locale.ROOT,
        "MATH test vs MATH-500 answer: %d/%d; self-consistent others: %d/%d%n",
        matchedAgree,
        matched,
        selfConsistent,
        others);
    assertThat(rows).hasSize(5000);
    assertThat(matched).isEqualTo(500);
    assertThat(matchedAgree / (double) matched).isGreaterThanOrEqualTo(0.995);
    assertThat(selfConsistent / (double) others).isGreaterThanOrEqualTo(0.995);
  }

  private static Budget budget() {
    return Budget.of(2_000_000, 1000);
  }

  static List<JsonNode> read(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }
}
