package io.gristmill.scoring.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.scoring.ScoringReason;
import java.util.List;

/**
 * Parses one JSON line of the imported-rollout format:
 *
 * <pre>
 * {"prompt_id": "p1", "response": "... #### 42", "ground_truth": "42",          required: prompt_id,
 *  "data_source": "gsm8k", "sample_index": 0, "prompt": "...",                  response (or text)
 *  "prompt_token_ids": [7, 8], "response_token_ids": [1, 2], "response_logprobs": [-0.1, -0.2],
 *  "finish_reason": "stop", "step": 3}
 * </pre>
 *
 * A number prompt_id is taken as text. Lines that are not JSON objects, lack a required field, or
 * have a field of the wrong type are rejected with the reason and the field named. Lines longer
 * than {@link #MAX_LINE_CHARS} are rejected unparsed.
 */
public final class JsonRolloutParser {
  public static final int MAX_LINE_CHARS = 16 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonRolloutParser() {}

  public static ParseResult parse(String line, String defaultSource) {
    if (line.length() > MAX_LINE_CHARS) {
      return ParseResult.rejected(
          ScoringReason.OVERSIZED_RECORD,
          "line has " + line.length() + " characters, limit " + MAX_LINE_CHARS);
    }
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return ParseResult.rejected(ScoringReason.MALFORMED_JSON, e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      return ParseResult.rejected(ScoringReason.NOT_AN_OBJECT, "expected a JSON object per line");
    }
    try {
      String promptId = scalar(n, "prompt_id", true);
      String response = n.hasNonNull("response") ? text(n, "response") : text(n, "text");
      if (response == null) {
        throw new FieldError(ScoringReason.MISSING_FIELD, "missing field 'response' (or 'text')");
      }
      String source = scalar(n, "data_source", false);
      Integer sample = n.hasNonNull("sample_index") ? integer(n, "sample_index") : null;
      return ParseResult.ok(
          List.of(
              new ImportedRollout(
                  promptId,
                  sample,
                  source == null ? defaultSource : source,
                  text(n, "prompt"),
                  response,
                  scalar(n, "ground_truth", false),
                  ints(n, "prompt_token_ids"),
                  ints(n, "response_token_ids"),
                  doubles(n, "response_logprobs"),
                  text(n, "finish_reason"),
                  n.hasNonNull("label") ? bool(n, "label") : null,
                  text(n, "generator"),
                  n.hasNonNull("step") ? (long) integer(n, "step") : null)));
    } catch (FieldError e) {
      return ParseResult.rejected(e.reason, e.getMessage());
    }
  }

  private static final class FieldError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ScoringReason reason;

    FieldError(ScoringReason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  private static String scalar(JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new FieldError(ScoringReason.MISSING_FIELD, "missing field '" + field + "'");
      }
      return null;
    }
    if (!v.isValueNode()) {
      throw new FieldError(
          ScoringReason.WRONG_TYPE, "field '" + field + "' must be a string or number");
    }
    String s = v.asText();
    if (required && s.isBlank()) {
      throw new FieldError(ScoringReason.MISSING_FIELD, "field '" + field + "' is empty");
    }
    return s;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new FieldError(ScoringReason.WRONG_TYPE, "field '" + field + "' must be a string");
    }
    return v.asText();
  }

  private static int integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new FieldError(ScoringReason.WRONG_TYPE, "field '" + field + "' must be an integer");
    }
    return v.asInt();
  }

  private static boolean bool(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (!v.isBoolean()) {
      throw new FieldError(ScoringReason.WRONG_TYPE, "field '" + field + "' must be true or false");
    }
    return v.asBoolean();
  }

  private static int[] ints(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new FieldError(
          ScoringReason.WRONG_TYPE, "field '" + field + "' must be a list of integers");
    }
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).canConvertToInt() || !v.get(i).isIntegralNumber()) {
        throw new FieldError(
            ScoringReason.WRONG_TYPE, "field '" + field + "' must be a list of integers");
      }
      out[i] = v.get(i).asInt();
    }
    return out;
  }

  private static double[] doubles(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new FieldError(
          ScoringReason.WRONG_TYPE, "field '" + field + "' must be a list of numbers");
    }
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isNumber()) {
        throw new FieldError(
            ScoringReason.WRONG_TYPE, "field '" + field + "' must be a list of numbers");
      }
      out[i] = v.get(i).asDouble();
    }
    return out;
  }
}
