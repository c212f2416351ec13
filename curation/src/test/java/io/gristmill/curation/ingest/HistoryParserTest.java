package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Message;
import org.junit.jupiter.api.Test;

class HistoryParserTest {
  @Test
  void pairsBecomeUserAndAssistantTurns() {
    ParseOutcome o =
        Parsing.parse(
            Format.HISTORY,
            "{\"task\": \"GR\", \"id\": 1, \"history\": [{\"user\": \"a\", \"bot\": \"b\"},"
                + " {\"user\": \"c\", \"bot\": \"d\"}]}");
    assertThat(o.conversation().messages())
        .containsExactly(
            Message.user("a"), Message.assistant("b"), Message.user("c"), Message.assistant("d"));
    assertThat(o.conversation().metadata()).isEqualTo("{\"task\":\"GR\"}");
    assertThat(o.conversation().originalId()).isEqualTo("1");
  }

  @Test
  void rejectsAMissingAnswer() {
    ParseOutcome o = Parsing.parse(Format.HISTORY, "{\"history\": [{\"user\": \"a\"}]}");
    assertThat(o.reason()).isEqualTo(IngestReason.MISSING_FIELD);
  }
}
