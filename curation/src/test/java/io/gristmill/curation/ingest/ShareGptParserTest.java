package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Message;
import org.junit.jupiter.api.Test;

class ShareGptParserTest {
  @Test
  void mapsShareGptRolesIncludingTools() {
    ParseOutcome o =
        Parsing.parse(
            Format.SHAREGPT,
            "{\"id\": \"identity_0\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"},"
                + " {\"from\": \"function_call\", \"value\": \"call\"}, {\"from\": \"observation\","
                + " \"value\": \"res\"}, {\"from\": \"gpt\", \"value\": \"a\"}], \"tools\": \"[]\"}");
    assertThat(o.conversation().messages())
        .extracting(Message::role)
        .containsExactly("user", "assistant", "tool", "assistant");
    assertThat(o.conversation().originalId()).isEqualTo("identity_0");
    assertThat(o.conversation().metadata()).isEqualTo("{\"tools\":\"[]\"}");
  }

  @Test
  void appendsChosenTurnAndKeepsRejectedAsMetadata() {
    ParseOutcome o =
        Parsing.parse(
            Format.SHAREGPT,
            "{\"conversations\": [{\"from\": \"system\", \"value\": \"s\"}, {\"from\": \"human\","
                + " \"value\": \"q\"}], \"chosen\": {\"from\": \"gpt\", \"value\": \"good\"},"
                + " \"rejected\": {\"from\": \"gpt\", \"value\": \"bad\"}}");
    assertThat(o.conversation().messages())
        .containsExactly(Message.system("s"), Message.user("q"), Message.assistant("good"));
    assertThat(o.conversation().metadata()).contains("\"rejected\"").doesNotContain("good");
  }

  @Test
  void rejectsTwoHumanTurnsInARow() {
    ParseOutcome o =
        Parsing.parse(
            Format.SHAREGPT,
            "{\"conversations\": [{\"from\": \"human\", \"value\": \"a\"}, {\"from\": \"human\","
                + " \"value\": \"b\"}]}");
    assertThat(o.reason()).isEqualTo(IngestReason.BROKEN_ROLE_ORDER);
    assertThat(o.detail()).isEqualTo("turn 2 is user after user");
  }
}
