package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TurnsParserTest {
  @Test
  void questionsArePromptOnlyUserTurns() {
    ParseOutcome o =
        Parsing.parse(Format.TURNS, "{\"question_id\": 81, \"turns\": [\"Plan.\", \"Shorter.\"]}");
    assertThat(o.conversation().messages())
        .containsExactly(Message.user("Plan."), Message.user("Shorter."));
    assertThat(o.conversation().originalId()).isEqualTo("81");
    ParseOutcome objects =
        Parsing.parse(Format.TURNS, "{\"turns\": [{\"content\": \"Poem.\"}], \"cluster\": \"c\"}");
    assertThat(objects.conversation().messages()).containsExactly(Message.user("Poem."));
  }

  @Test
  void answersInterleaveWithLookedUpQuestions() {
    SourceConfig answers =
        new SourceConfig(
            "answers",
            List.of("unused"),
            Format.TURNS,
            Map.of("turns", "/choices/0/turns"),
            null,
            null,
            new PromptLookupConfig("q.jsonl", null, null));
    Map<String, List<String>> lookup = Map.of("q1", List.of("Q?"));
    ParseOutcome o =
        Parsing.parse(
            answers,
            "{\"question_id\": \"q1\", \"choices\": [{\"turns\": [{\"content\": \"A.\"}]}]}",
            lookup);
    assertThat(o.conversation().messages())
        .containsExactly(Message.user("Q?"), Message.assistant("A."));
    ParseOutcome orphan =
        Parsing.parse(
            answers, "{\"question_id\": \"zz\", \"choices\": [{\"turns\": [\"A.\"]}]}", lookup);
    assertThat(orphan.reason()).isEqualTo(IngestReason.MISSING_FIELD);
    assertThat(orphan.detail()).isEqualTo("no question with question_id 'zz' in q.jsonl");
  }

  @Test
  void rejectsEmptyTurns() {
    assertThat(Parsing.parse(Format.TURNS, "{\"turns\": []}").reason())
        .isEqualTo(IngestReason.EMPTY_MESSAGES);
    assertThat(Parsing.parse(Format.TURNS, "{\"turns\": [3]}").reason())
        .isEqualTo(IngestReason.NON_STRING_CONTENT);
  }
}
