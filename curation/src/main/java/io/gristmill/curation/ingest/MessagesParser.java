package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * OpenAI / Tulu {@code messages: [{role, content}]} records, and verl records whose {@code prompt}
 * is such a list (the rest, e.g. {@code reward_model.ground_truth}, stays in the metadata). Content
 * may be a string or a list of text parts.
 */
final class MessagesParser implements RecordParser {
  private final boolean verl;

  MessagesParser(boolean verl) {
    this.verl = verl;
  }

  @Override
  public ParseOutcome parse(JsonNode record, RecordContext ctx) {
    ConversationBuilder b = new ConversationBuilder(record, ctx);
    String field = ctx.field("messages", verl ? "prompt" : "messages");
    ParseOutcome bad =
        Turns.addTurnList(b, field, ctx.field("role", "role"), ctx.field("content", "content"));
    if (bad != null) {
      return bad;
    }
    if (verl) {
      // Kept in the metadata too; the columns are what reward routing reads.
      b.answer(
          JsonFields.text(JsonFields.get(record, "data_source")),
          JsonFields.text(JsonFields.get(record, "/reward_model/ground_truth")));
    }
    return b.build();
  }
}
