package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Message;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstructionParserTest {
  @Test
  void alpacaJoinsInstructionAndInput() {
    ParseOutcome o =
        Parsing.parse(
            Format.ALPACA,
            "{\"instruction\": \"Add.\", \"input\": \"2 and 3\", \"output\": \"5\"}");
    assertThat(o.conversation().messages())
        .containsExactly(Message.user("Add.\n\n2 and 3"), Message.assistant("5"));
    assertThat(o.conversation().metadata()).isEqualTo("{}");
  }

  @Test
  void alpacaFallsBackToResponseAndSkipsEmptyInput() {
    ParseOutcome o =
        Parsing.parse(
            Format.ALPACA, "{\"instruction\": \"Hi\", \"input\": \"\", \"response\": \"Hello\"}");
    assertThat(o.conversation().messages())
        .containsExactly(Message.user("Hi"), Message.assistant("Hello"));
  }

  @Test
  void fieldRenamesAcceptJsonPointers() {
    SourceConfig seeds =
        Parsing.withFields(
            "seeds",
            Format.ALPACA,
            Map.of("input", "/instances/0/input", "output", "/instances/0/output"));
    ParseOutcome o =
        Parsing.parse(
            seeds,
            "{\"id\": \"seed_task_0\", \"instruction\": \"Suggest\", \"instances\": [{\"input\":"
                + " \"\", \"output\": \"Oats\"}], \"is_classification\": false}");
    assertThat(o.conversation().messages())
        .containsExactly(Message.user("Suggest"), Message.assistant("Oats"));
    assertThat(o.conversation().metadata()).contains("\"instances\"", "\"is_classification\"");
  }

  @Test
  void promptCompletionReadsT0AndTulu() {
    ParseOutcome t0 =
        Parsing.parse(
            Format.PROMPT_COMPLETION,
            "{\"prompt\": \"Label?\", \"completion\": \"pos<|endoftext|>\"}");
    assertThat(t0.conversation().messages())
        .containsExactly(Message.user("Label?"), Message.assistant("pos<|endoftext|>"));
    SourceConfig tulu =
        Parsing.withFields(
            "tulu", Format.PROMPT_COMPLETION, Map.of("output", "/completions/0/completion"));
    ParseOutcome o =
        Parsing.parse(
            tulu,
            "{\"id\": \"t\", \"prompt\": \"Fix\", \"completions\": [{\"model\": \"m\", \"completion\": \"Fixed\"}]}");
    assertThat(o.conversation().messages().get(1).content()).isEqualTo("Fixed");
    assertThat(o.conversation().originalId()).isEqualTo("t");
  }

  @Test
  void promptSetsKeepTheirLabelsAsMetadata() {
    ParseOutcome gsm =
        Parsing.parse(Format.GSM8K, "{\"question\": \"3-1?\", \"answer\": \"2\\n#### 2\"}");
    assertThat(gsm.conversation().messages())
        .containsExactly(Message.user("3-1?"), Message.assistant("2\n#### 2"));
    ParseOutcome math =
        Parsing.parse(
            Format.MATH,
            "{\"problem\": \"1+1\", \"level\": \"Level 1\", \"type\": \"Algebra\", \"solution\": \"2\", \"idx\": 0}");
    assertThat(math.conversation().originalId()).isEqualTo("0");
    assertThat(math.conversation().metadata())
        .isEqualTo("{\"level\":\"Level 1\",\"type\":\"Algebra\"}");
    ParseOutcome m500 =
        Parsing.parse(
            Format.MATH500,
            "{\"problem\": \"1+1\", \"solution\": \"2\", \"answer\": \"2\", \"subject\": \"Algebra\","
                + " \"level\": 1, \"unique_id\": \"test/algebra/1.json\"}");
    assertThat(m500.conversation().originalId()).isEqualTo("test/algebra/1.json");
    assertThat(m500.conversation().metadata())
        .isEqualTo("{\"answer\":\"2\",\"level\":1,\"subject\":\"Algebra\"}");
  }

  @Test
  void rejectsMissingAndNonStringFields() {
    assertThat(Parsing.parse(Format.ALPACA, "{\"input\": \"x\", \"output\": \"y\"}").reason())
        .isEqualTo(IngestReason.MISSING_FIELD);
    assertThat(Parsing.parse(Format.ALPACA, "{\"instruction\": \"x\"}").reason())
        .isEqualTo(IngestReason.MISSING_FIELD);
    assertThat(Parsing.parse(Format.GSM8K, "{\"question\": 5, \"answer\": \"y\"}").reason())
        .isEqualTo(IngestReason.NON_STRING_CONTENT);
    assertThat(Parsing.parse(Format.MATH, "{\"problem\": \"p\", \"solution\": \" \"}").reason())
        .isEqualTo(IngestReason.EMPTY_CONTENT);
  }
}
