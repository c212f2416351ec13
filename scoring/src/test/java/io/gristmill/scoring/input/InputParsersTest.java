package io.gristmill.scoring.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.scoring.ScoringReason;
import org.junit.jupiter.api.Test;

class InputParsersTest {
  @Test
  void parsesAFullImportedRollout() {
    ParseResult r =
        JsonRolloutParser.parse(
            "{\"prompt_id\": 7, \"text\": \"#### 3\", \"ground_truth\": 3, \"sample_index\": 2,"
                + " \"prompt_token_ids\": [9], \"response_token_ids\": [1, 2], \"response_logprobs\": [-0.5, -1],"
                + " \"finish_reason\": \"stop\", \"step\": 4}",
            "gsm8k");
    assertThat(r.isRejected()).isFalse();
    ImportedRollout x = r.rollouts().get(0);
    assertThat(x.promptId()).isEqualTo("7");
    assertThat(x.response()).isEqualTo("#### 3");
    assertThat(x.groundTruth()).isEqualTo("3");
    assertThat(x.dataSource()).isEqualTo("gsm8k");
    assertThat(x.sampleIndex()).isEqualTo(2);
    assertThat(x.promptTokenIds()).containsExactly(9);
    assertThat(x.responseTokenIds()).containsExactly(1, 2);
    assertThat(x.responseLogprobs()).containsExactly(-0.5, -1.0);
    assertThat(x.step()).isEqualTo(4L);
  }

  @Test
  void rejectsWithReasons() {
    assertThat(JsonRolloutParser.parse("{oops", "s").reason())
        .isEqualTo(ScoringReason.MALFORMED_JSON);
    assertThat(JsonRolloutParser.parse("\"str\"", "s").reason())
        .isEqualTo(ScoringReason.NOT_AN_OBJECT);
    ParseResult noId = JsonRolloutParser.parse("{\"response\": \"a\"}", "s");
    assertThat(noId.reason()).isEqualTo(ScoringReason.MISSING_FIELD);
    assertThat(noId.detail()).isEqualTo("missing field 'prompt_id'");
    ParseResult noResponse = JsonRolloutParser.parse("{\"prompt_id\": \"p\"}", "s");
    assertThat(noResponse.detail()).isEqualTo("missing field 'response' (or 'text')");
    ParseResult badIds =
        JsonRolloutParser.parse(
            "{\"prompt_id\": \"p\", \"response\": \"a\", \"response_token_ids\": [1, \"x\"]}", "s");
    assertThat(badIds.reason()).isEqualTo(ScoringReason.WRONG_TYPE);
    assertThat(badIds.detail()).isEqualTo("field 'response_token_ids' must be a list of integers");
    ParseResult objectId = JsonRolloutParser.parse("{\"prompt_id\": {}, \"response\": \"a\"}", "s");
    assertThat(objectId.reason()).isEqualTo(ScoringReason.WRONG_TYPE);
  }

  @Test
  void gsmAdapterMakesFourLabelledSamplesWithAStableId() {
    String line =
        "{\"question\": \"Q  one?\", \"ground_truth\": \"x\\nA: 5\","
            + " \"6b_finetuning\": {\"is_correct\": true, \"solution\": \"A: 5\"},"
            + " \"6b_verification\": {\"is_correct\": false, \"solution\": \"A: 4\"},"
            + " \"175b_finetuning\": {\"is_correct\": true, \"solution\": \"A: 5\"},"
            + " \"175b_verification\": {\"is_correct\": false, \"solution\": \"A: 6\"}}";
    ParseResult r = GsmSolutionsAdapter.parse(line, "gsm8k");
    assertThat(r.rollouts()).hasSize(4);
    assertThat(r.rollouts()).extracting(ImportedRollout::sampleIndex).containsExactly(0, 1, 2, 3);
    assertThat(r.rollouts())
        .extracting(ImportedRollout::label)
        .containsExactly(true, false, true, false);
    assertThat(r.rollouts().get(0).promptId())
        .isEqualTo(GsmSolutionsAdapter.promptId("q one?"))
        .hasSize(32);
    assertThat(GsmSolutionsAdapter.parse("{\"question\": \"q\"}", "g").reason())
        .isEqualTo(ScoringReason.MISSING_FIELD);
  }
}
