package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Message;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Anthropic HH-RLHF transcripts: {@code "\n\nHuman: ...\n\nAssistant: ..."} in the {@code chosen}
 * field (rename with {@code fields.text}). Turn texts are trimmed. The {@code rejected} transcript
 * stays in the metadata. Text before the first marker, or no marker at all, makes the record {@code
 * unparseable_transcript}.
 */
final class HhParser implements RecordParser {
  private static final Pattern MARKER = Pattern.compile("(?:^|\\n\\n)(Human|Assistant):");

  @Override
  public ParseOutcome parse(JsonNode record, RecordContext ctx) {
    ConversationBuilder b = new ConversationBuilder(record, ctx);
    String field = ctx.field("text", "chosen");
    JsonNode text = b.take(field);
    if (text.isMissingNode()) {
      return b.reject(IngestReason.MISSING_FIELD, "no '" + field + "' field");
    }
    if (!text.isTextual()) {
      return b.reject(IngestReason.NON_STRING_CONTENT, "'" + field + "' is not a string");
    }
    String s = text.asText();
    Matcher m = MARKER.matcher(s);
    if (!m.find()) {
      return b.reject(
          IngestReason.UNPARSEABLE_TRANSCRIPT, "'" + field + "' has no Human:/Assistant: markers");
    }
    if (!s.substring(0, m.start()).isBlank()) {
      return b.reject(
          IngestReason.UNPARSEABLE_TRANSCRIPT,
          "'" + field + "' has text before the first Human:/Assistant: marker");
    }
    int turn = 0;
    while (true) {
      String role = m.group(1).equals("Human") ? Message.USER : Message.ASSISTANT;
      int start = m.end();
      boolean more = m.find();
      String content = s.substring(start, more ? m.start() : s.length()).strip();
      ParseOutcome bad = b.addText(role, content, field + " turn " + (++turn));
      if (bad != null) {
        return bad;
      }
      if (!more) {
        return b.build();
      }
    }
  }
}
