package io.gristmill.curation.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.text.StableIds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Collects the turns a parser finds in one record and checks them into a canonical {@link
 * Conversation}: canonical roles, string content that is not blank, a user turn, an assistant turn
 * (unless the source is prompt-only), a valid role order. The id hashes the source and {@link
 * ConversationText}; the original id comes from {@code id}, {@code idx}, {@code question_id} or
 * {@code unique_id} (or the {@code fields.id} rename); every other top-level field that no turn
 * consumed goes into the metadata, a JSON object with sorted keys.
 */
final class ConversationBuilder {
  static final List<String> ID_FIELDS = List.of("id", "idx", "question_id", "unique_id");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode record;
  private final RecordContext ctx;
  private final List<Message> messages = new ArrayList<>();
  private final Set<String> consumed = new HashSet<>();
  private final String idField;
  private final String originalId;
  private String dataSource;
  private String groundTruth;

  ConversationBuilder(JsonNode record, RecordContext ctx) {
    this.record = record;
    this.ctx = ctx;
    this.idField = findIdField(record, ctx);
    this.originalId = idField == null ? null : JsonFields.text(JsonFields.get(record, idField));
  }

  private static String findIdField(JsonNode record, RecordContext ctx) {
    String configured = ctx.source().fields().get("id");
    if (configured != null) {
      return configured;
    }
    for (String f : ID_FIELDS) {
      if (!JsonFields.get(record, f).isMissingNode()) {
        return f;
      }
    }
    return null;
  }

  /** Sets the prompt-set columns: the record's own data source (or null) and reference answer. */
  void answer(String dataSource, String groundTruth) {
    this.dataSource = dataSource;
    this.groundTruth = groundTruth;
  }

  String originalId() {
    return originalId;
  }

  /** The value of a field spec, marking a top-level field as consumed (kept out of metadata). */
  JsonNode take(String spec) {
    String top = JsonFields.topLevel(spec);
    if (top != null) {
      consumed.add(top);
    }
    return JsonFields.get(record, spec);
  }

  ParseOutcome reject(IngestReason reason, String detail) {
    return ParseOutcome.rejected(reason, detail, originalId);
  }

  /**
   * Adds a turn whose content is a JSON node: a string, or a list of text parts ({@code {type:
   * text, text|value}}). Returns a rejection when the content is missing, not text, or blank.
   */
  ParseOutcome add(String role, JsonNode content, String where) {
    if (content == null || content.isMissingNode() || content.isNull()) {
      return reject(IngestReason.MISSING_FIELD, where + " has no content");
    }
    String text;
    if (content.isTextual()) {
      text = content.asText();
    } else if (content.isArray()) {
      text = textParts(content);
      if (text == null) {
        return reject(
            IngestReason.NON_STRING_CONTENT, where + " content is a list with non-text parts");
      }
    } else {
      return reject(
          IngestReason.NON_STRING_CONTENT,
          where + " content is " + content.getNodeType().name().toLowerCase() + ", not a string");
    }
    return addText(role, text, where);
  }

  /**
   * Adds a turn with text content; returns a rejection when the text is blank, that is when it has
   * nothing visible ({@link #isBlank}).
   */
  ParseOutcome addText(String role, String text, String where) {
    if (text == null || isBlank(text)) {
      return reject(IngestReason.EMPTY_CONTENT, where + " content is empty");
    }
    messages.add(new Message(role, text));
    return null;
  }

  private static String textParts(JsonNode parts) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : parts) {
      JsonNode type = part.get("type");
      JsonNode t = part.has("text") ? part.get("text") : part.get("value");
      if (!part.isObject()
          || (type != null && !"text".equals(type.asText()))
          || t == null
          || !t.isTextual()) {
        return null;
      }
      sb.append(t.asText());
    }
    return sb.toString();
  }

  /** Checks the collected turns and builds the conversation, or the first rejection. */
  ParseOutcome build() {
    boolean hasUser = false;
    boolean hasAssistant = false;
    for (Message m : messages) {
      hasUser |= Message.USER.equals(m.role());
      hasAssistant |= Message.ASSISTANT.equals(m.role());
    }
    if (messages.isEmpty()) {
      return reject(IngestReason.EMPTY_MESSAGES, "the record has no turns");
    }
    if (!hasUser) {
      return reject(IngestReason.NO_USER_TURN, "the record has no user turn");
    }
    boolean promptOnly = ctx.source().promptOnly();
    String violation = Roles.orderViolation(messages, promptOnly && !hasAssistant);
    if (violation != null) {
      return reject(IngestReason.BROKEN_ROLE_ORDER, violation);
    }
    if (!hasAssistant && !promptOnly) {
      return reject(
          IngestReason.NO_ASSISTANT_TURN,
          "the record has no assistant turn (set prompt_only: true for prompt sets)");
    }
    String source = ctx.source().name();
    String id = StableIds.recordId(source, ConversationText.normalized(messages));
    SourceConfig sc = ctx.source();
    String ds =
        sc.dataSource() != null
            ? sc.dataSource()
            : dataSource != null ? dataSource : sc.format().defaultDataSource();
    return ParseOutcome.kept(
        new Conversation(id, source, messages, originalId, metadata(), ds, groundTruth, null, 0L));
  }

  private String metadata() {
    Map<String, JsonNode> rest = new TreeMap<>();
    if (record != null && record.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = record.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!consumed.contains(e.getKey()) && !e.getKey().equals(idField)) {
          rest.put(e.getKey(), e.getValue());
        }
      }
    }
    try {
      return JSON.writeValueAsString(rest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write metadata: a JSON tree always serializes", e);
    }
  }

  /**
   * Whether {@code text} shows nothing: every code point is whitespace, a space separator (such as
   * NBSP U+00A0, which {@link String#isBlank} counts as text) or an invisible format character
   * (zero-width space U+200B, word joiner U+2060, BOM U+FEFF, ...).
   */
  static boolean isBlank(String text) {
    return text.codePoints()
        .allMatch(
            c ->
                Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || Character.getType(c) == Character.FORMAT);
  }
}
