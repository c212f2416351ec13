package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Message;
import io.gristmill.core.text.StableIds;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesParserTest {
  @Test
  void keepsTurnsIdAndSortedMetadata() {
    ParseOutcome o =
        Parsing.parse(
            Format.MESSAGES,
            "{\"z\": 1, \"id\": 7, \"messages\": [{\"role\": \"system\", \"content\": \"S\"},"
                + " {\"role\": \"user\", \"content\": \"Hi  There\"},"
                + " {\"role\": \"assistant\", \"content\": \"Yo\"}], \"a\": {\"k\": true}}");
    assertThat(o.isKept()).isTrue();
    assertThat(o.conversation().messages())
        .containsExactly(Message.system("S"), Message.user("Hi  There"), Message.assistant("Yo"));
    assertThat(o.conversation().originalId()).isEqualTo("7");
    assertThat(o.conversation().metadata()).isEqualTo("{\"a\":{\"k\":true},\"z\":1}");
    assertThat(o.conversation().source()).isEqualTo("src");
    assertThat(o.conversation().id())
        .isEqualTo(
            StableIds.recordId(
                "src",
                ConversationText.normalized(
                    List.of(
                        Message.system("s"), Message.user("hi there"), Message.assistant("yo")))));
  }

  @Test
  void idIgnoresCaseAndWhitespaceButNotSource() {
    String a =
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Hello World\"}, {\"role\": \"assistant\", \"content\": \"x\"}]}";
    String b =
        "{\"messages\": [{\"role\": \"user\", \"content\": \" hello   world \"}, {\"role\": \"assistant\", \"content\": \"X\"}]}";
    String idA = Parsing.parse(Format.MESSAGES, a).conversation().id();
    assertThat(Parsing.parse(Format.MESSAGES, b).conversation().id()).isEqualTo(idA);
    String other =
        Parsing.parse(SourceConfig.of("other", "unused", Format.MESSAGES), a).conversation().id();
    assertThat(other).isNotEqualTo(idA);
  }

  @Test
  void joinsTextParts() {
    ParseOutcome o =
        Parsing.parse(
            Format.MESSAGES,
            "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"value\": \"a\"},"
                + " {\"type\": \"text\", \"text\": \"b\"}]}, {\"role\": \"assistant\", \"content\": \"c\"}]}");
    assertThat(o.conversation().messages().get(0).content()).isEqualTo("ab");
  }

  @Test
  void rejectsEachDefectWithItsReason() {
    assertThat(reason("{\"id\": \"x\"}")).isEqualTo(IngestReason.MISSING_MESSAGES);
    assertThat(reason("{\"messages\": []}")).isEqualTo(IngestReason.EMPTY_MESSAGES);
    assertThat(reason("{\"messages\": \"hi\"}")).isEqualTo(IngestReason.WRONG_TYPE);
    assertThat(reason("{\"messages\": [1]}")).isEqualTo(IngestReason.WRONG_TYPE);
    assertThat(reason("{\"messages\": [{\"content\": \"hi\"}]}"))
        .isEqualTo(IngestReason.MISSING_FIELD);
    assertThat(reason("{\"messages\": [{\"role\": \"elf\", \"content\": \"hi\"}]}"))
        .isEqualTo(IngestReason.UNKNOWN_ROLE);
    assertThat(reason("{\"messages\": [{\"role\": \"user\", \"content\": {\"a\": 1}}]}"))
        .isEqualTo(IngestReason.NON_STRING_CONTENT);
    assertThat(reason("{\"messages\": [{\"role\": \"user\", \"content\": \"\"}]}"))
        .isEqualTo(IngestReason.EMPTY_CONTENT);
    assertThat(
            reason(
                "{\"messages\": [{\"role\": \"assistant\", \"content\": \"a\"}, {\"role\": \"user\", \"content\": \"b\"}]}"))
        .isEqualTo(IngestReason.BROKEN_ROLE_ORDER);
    assertThat(reason("{\"messages\": [{\"role\": \"system\", \"content\": \"a\"}]}"))
        .isEqualTo(IngestReason.NO_USER_TURN);
    assertThat(reason("{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}"))
        .isEqualTo(IngestReason.NO_ASSISTANT_TURN);
  }

  @Test
  void rejectionKeepsTheOriginalId() {
    ParseOutcome o = Parsing.parse(Format.MESSAGES, "{\"idx\": 12, \"messages\": []}");
    assertThat(o.originalId()).isEqualTo("12");
    assertThat(o.detail()).isEqualTo("'messages' is an empty list");
  }

  @Test
  void verlPromptKeepsGroundTruthInMetadata() {
    ParseOutcome o =
        Parsing.parse(
            Format.VERL,
            "{\"data_source\": \"gsm8k\", \"prompt\": [{\"role\": \"user\", \"content\": \"1+1?\"}],"
                + " \"reward_model\": {\"ground_truth\": \"2\", \"style\": \"rule\"}}");
    assertThat(o.isKept()).isTrue();
    assertThat(o.conversation().messages()).containsExactly(Message.user("1+1?"));
    assertThat(o.conversation().metadata())
        .isEqualTo(
            "{\"data_source\":\"gsm8k\",\"reward_model\":{\"ground_truth\":\"2\",\"style\":\"rule\"}}");
  }

  private static IngestReason reason(String json) {
    ParseOutcome o = Parsing.parse(Format.MESSAGES, json);
    assertThat(o.isKept()).as(json).isFalse();
    return o.reason();
  }
}
