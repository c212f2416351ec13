package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Message;
import java.util.List;

/**
 * MT-Bench / Arena-Hard style {@code turns}: a list of strings or of {@code {content}} objects.
 * Without {@code prompts_from} they are user turns of a prompt. With it, they are the answer turns,
 * and the user turns come from the question whose key equals this record's: question 1, answer 1,
 * question 2, answer 2, ...
 */
final class TurnsParser implements RecordParser {
  @Override
  public ParseOutcome parse(JsonNode record, RecordContext ctx) {
    ConversationBuilder b = new ConversationBuilder(record, ctx);
    String field = ctx.field("turns", "turns");
    JsonNode turns = b.take(field);
    if (turns.isMissingNode()) {
      return b.reject(IngestReason.MISSING_MESSAGES, "no '" + field + "' field");
    }
    if (!turns.isArray()) {
      return b.reject(IngestReason.WRONG_TYPE, "'" + field + "' is not a list");
    }
    if (turns.isEmpty()) {
      return b.reject(IngestReason.EMPTY_MESSAGES, "'" + field + "' is an empty list");
    }
    PromptLookupConfig lookup = ctx.source().promptsFrom();
    List<String> questions = null;
    if (lookup != null) {
      String key = JsonFields.text(JsonFields.get(record, lookup.key()));
      questions = key == null ? null : ctx.promptLookup().get(key);
      if (questions == null) {
        return b.reject(
            IngestReason.MISSING_FIELD,
            "no question with " + lookup.key() + " '" + key + "' in " + lookup.path());
      }
    }
    int n = Math.max(turns.size(), questions == null ? 0 : questions.size());
    for (int i = 0; i < n; i++) {
      if (questions != null && i < questions.size()) {
        ParseOutcome bad =
            b.addText(Message.USER, questions.get(i), lookup.path() + " turn " + (i + 1));
        if (bad != null) {
          return bad;
        }
      }
      if (i < turns.size()) {
        JsonNode t = turns.get(i);
        JsonNode content = t.isObject() ? JsonFields.get(t, "content") : t;
        String role = questions == null ? Message.USER : Message.ASSISTANT;
        ParseOutcome bad = b.add(role, content, field + "[" + i + "]");
        if (bad != null) {
          return bad;
        }
      }
    }
    return b.build();
  }
}
