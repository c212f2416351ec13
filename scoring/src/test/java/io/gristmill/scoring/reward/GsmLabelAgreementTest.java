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
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: the math reward agrees with the authors' {@code is_correct} labels on at least 99% of
 * the 5,276 GSM8K example solutions. Prints every disagreement.
 */
class GsmLabelAgreementTest {
  static final String[] MODELS = {
    "6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"
  };

  @Test
  void mathRewardAgreesWithLabels() throws Exception {
    Path file = SharedData.require("rl_prompts/gsm8k/example_model_solutions.jsonl");
    RewardFunction reward = new WeightedReward(RewardSpec.math(false), VerifierLimits.defaults());
    ObjectMapper json = new ObjectMapper();
    int total = 0;
    int agree = 0;
    List<String> disagreements = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int row = 0;
      while ((line = in.readLine()) != null) {
        row++;
        JsonNode n = json.readTree(line);
        String truth = n.get("ground_truth").asText();
        for (String model : MODELS) {
          JsonNode s = n.get(model);
          boolean label = s.get("is_correct").asBoolean();
          Verdict v = reward.score(s.get("solution").asText(), truth, -1);
          total++;
          if (v.correct() == label) {
            agree++;
          } else {
            disagreements.add(
                String.format(
                    Locale.ROOT,
                    "row %d %s label=%s got=%s extracted=[%s] truth=[%s] status=%s",
                    row,
                    model,
                    label,
                    v.correct(),
                    v.extracted(),
                    MathVerifier.referenceAnswer(truth, Budget.of(1_000_000, 1000)),
                    v.status().code()));
          }
        }
      }
    }
    double rate = agree / (double) total;
    System.out.printf(Locale.ROOT, "GSM8K label agreement: %d/%d = %.4f%n", agree, total, rate);
    disagreements.forEach(System.out::println);
    assertThat(total).isEqualTo(5276);
    assertThat(rate).isGreaterThanOrEqualTo(0.99);
  }
}
