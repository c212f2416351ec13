package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Reason;

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
    String roleField = ctx.field("role", "role");
    String contentField = ctx.field("content", "content");
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      String where = field + "[" + i + "]";
      if (!m.isObject()) {
        return b.reject(Reason.WRONG_TYPE, where + " is not an object");
      }
      ParseOutcome bad = Turns.addTurn(b, m, roleField, contentField, where);
      if (bad != null) {
        return bad;
      }
    }
    return b.build();
  }
}
