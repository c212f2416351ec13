package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Message;

/** MT-Bench-101 {@code history: [{user, bot}]}: each item is a user turn and its answer. */
final class HistoryParser implements RecordParser {
  @Override
  public ParseOutcome parse(JsonNode record, RecordContext ctx) {
    ConversationBuilder b = new ConversationBuilder(record, ctx);
    String field = ctx.field("history", "history");
    JsonNode history = b.take(field);
    if (history.isMissingNode()) {
      return b.reject(IngestReason.MISSING_MESSAGES, "no '" + field + "' field");
    }
    if (!history.isArray()) {
      return b.reject(IngestReason.WRONG_TYPE, "'" + field + "' is not a list");
    }
    if (history.isEmpty()) {
      return b.reject(IngestReason.EMPTY_MESSAGES, "'" + field + "' is an empty list");
    }
    String user = ctx.field("user", "user");
    String bot = ctx.field("bot", "bot");
    for (int i = 0; i < history.size(); i++) {
      JsonNode item = history.get(i);
      String where = field + "[" + i + "]";
      if (!item.isObject()) {
        return b.reject(IngestReason.WRONG_TYPE, where + " is not an object");
      }
      ParseOutcome bad = b.add(Message.USER, JsonFields.get(item, user), where + "." + user);
      if (bad == null
          && !(ctx.source().promptOnly() && JsonFields.get(item, bot).isMissingNode())) {
        bad = b.add(Message.ASSISTANT, JsonFields.get(item, bot), where + "." + bot);
      }
      if (bad != null) {
        return bad;
      }
    }
    return b.build();
  }
}
