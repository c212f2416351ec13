package io.gristmill.scoring.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.text.StableIds;
import io.gristmill.core.text.TextNormalizer;
import io.gristmill.scoring.ScoringReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one line of GSM8K's {@code example_model_solutions.jsonl} into four imported rollouts, one
 * per model ({@link #MODELS}, sample indices 0 to 3). The prompt id is the stable hash of the
 * normalized question ({@link StableIds#contentHash}); the ground truth is the reference solution's
 * final answer line ({@code A: 18}) as given; {@code label} carries the authors' {@code is_correct}
 * and {@code generator} the model field name.
 */
public final class GsmSolutionsAdapter {
  public static final List<String> MODELS =
      List.of("6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification");
  private static final ObjectMapper JSON = new ObjectMapper();

  private GsmSolutionsAdapter() {}

  /** The prompt id of a question: the same for every run, machine and partitioning. */
  public static String promptId(String question) {
    return StableIds.contentHash(TextNormalizer.normalize(question));
  }

  public static ParseResult parse(String line, String dataSource) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return ParseResult.rejected(ScoringReason.MALFORMED_JSON, e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      return ParseResult.rejected(ScoringReason.NOT_AN_OBJECT, "expected a JSON object per line");
    }
    if (!n.path("question").isTextual() || !n.path("ground_truth").isTextual()) {
      return ParseResult.rejected(
          ScoringReason.MISSING_FIELD, "expected string fields 'question' and 'ground_truth'");
    }
    String question = n.get("question").asText();
    String id = promptId(question);
    String truth = n.get("ground_truth").asText();
    List<ImportedRollout> out = new ArrayList<>(MODELS.size());
    for (int i = 0; i < MODELS.size(); i++) {
      JsonNode s = n.get(MODELS.get(i));
      if (s == null || !s.path("solution").isTextual()) {
        return ParseResult.rejected(
            ScoringReason.MISSING_FIELD, "expected field '" + MODELS.get(i) + ".solution'");
      }
      JsonNode label = s.get("is_correct");
      out.add(
          new ImportedRollout(
              id,
              i,
              dataSource,
              question,
              s.get("solution").asText(),
              truth,
              null,
              null,
              null,
              null,
              label != null && label.isBoolean() ? label.asBoolean() : null,
              MODELS.get(i),
              null));
    }
    return ParseResult.ok(out);
  }
}
