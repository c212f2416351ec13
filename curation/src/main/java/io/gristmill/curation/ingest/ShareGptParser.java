package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Message;

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
    String from = ctx.field("from", "from");
    String value = ctx.field("value", "value");
    ParseOutcome badTurn = Turns.addTurnList(b, field, from, value);
    if (badTurn != null) {
      return badTurn;
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
