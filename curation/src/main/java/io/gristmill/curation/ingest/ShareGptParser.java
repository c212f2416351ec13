package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Message;
import io.gristmill.core.record.Reason;

/**
 * ShareGPT {@code conversations: [{from, value}]} (roles {@code human}, {@code gpt}, {@code
 * system}, {@code function_call}, {@code observation}, ...). A preference record's {@code chosen}
 * turn (an object {@code {from, value}} or a string answer) is appended as the final turn; its
 * {@code rejected} turn stays in the metadata.
 */
final class ShareGptParser implements RecordParser {
  @Override
  public ParseOutcome parse(JsonNode record, RecordContext ctx) {
    ConversationBuilder b = new ConversationBuilder(record, ctx);
    String field = ctx.field("conversations", "conversations");
    JsonNode list = b.take(field);
    if (list.isMissingNode()) {
      return b.reject(Reason.MISSING_MESSAGES, "no '" + field + "' field");
    }
    if (!list.isArray()) {
      return b.reject(Reason.WRONG_TYPE, "'" + field + "' is not a list");
    }
    if (list.isEmpty()) {
      return b.reject(Reason.EMPTY_MESSAGES, "'" + field + "' is an empty list");
    }
    String from = ctx.field("from", "from");
    String value = ctx.field("value", "value");
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      String where = field + "[" + i + "]";
      if (!m.isObject()) {
        return b.reject(Reason.WRONG_TYPE, where + " is not an object");
      }
      ParseOutcome bad = Turns.addTurn(b, m, from, value, where);
      if (bad != null) {
        return bad;
      }
    }
    String chosenField = ctx.field("chosen", "chosen");
    JsonNode chosen = JsonFields.get(record, chosenField);
    if (!chosen.isMissingNode()) {
      b.take(chosenField);
      ParseOutcome bad =
          chosen.isObject()
              ? Turns.addTurn(b, chosen, from, value, chosenField)
              : b.add(Message.ASSISTANT, chosen, chosenField);
      if (bad != null) {
        return bad;
      }
    }
    return b.build();
  }
}
