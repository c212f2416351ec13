package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Message;
import org.junit.jupiter.api.Test;

class HhParserTest {
  @Test
  void splitsTranscriptIntoTurns() {
    ParseOutcome o =
        Parsing.parse(
            Format.HH,
            "{\"chosen\": \"\\n\\nHuman: pranks?\\n\\nAssistant: Some.\\n\\nHuman: more\\n\\nAssistant:"
                + " Ok.\", \"rejected\": \"\\n\\nHuman: pranks?\\n\\nAssistant: No.\"}");
    assertThat(o.conversation().messages())
        .containsExactly(
            Message.user("pranks?"),
            Message.assistant("Some."),
            Message.user("more"),
            Message.assistant("Ok."));
    assertThat(o.conversation().metadata()).startsWith("{\"rejected\":");
  }

  @Test
  void rejectsTextWithoutMarkersOrWithAPreamble() {
    assertThat(Parsing.parse(Format.HH, "{\"chosen\": \"just text\"}").reason())
        .isEqualTo(IngestReason.UNPARSEABLE_TRANSCRIPT);
    assertThat(Parsing.parse(Format.HH, "{\"chosen\": \"intro\\n\\nHuman: a\"}").reason())
        .isEqualTo(IngestReason.UNPARSEABLE_TRANSCRIPT);
    assertThat(
            Parsing.parse(Format.HH, "{\"chosen\": \"\\n\\nHuman: a\\n\\nAssistant:\"}").reason())
        .isEqualTo(IngestReason.EMPTY_CONTENT);
  }
}
