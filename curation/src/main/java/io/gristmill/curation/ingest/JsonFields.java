package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** Field access by name or JSON Pointer (a spec starting with {@code /}). */
final class JsonFields {
  private JsonFields() {}

  /** The value at {@code spec}, or a missing node; JSON null counts as missing. */
  static JsonNode get(JsonNode record, String spec) {
    if (spec == null || record == null) {
      return MissingNode.getInstance();
    }
    JsonNode n = spec.startsWith("/") ? record.at(spec) : record.get(spec);
    return n == null || n.isNull() ? MissingNode.getInstance() : n;
  }

  /** The top-level field a spec consumes entirely, or null for a pointer into a nested value. */
  static String topLevel(String spec) {
    if (spec == null) {
      return null;
    }
    if (!spec.startsWith("/")) {
      return spec;
    }
    return null;
  }

  /** The node as verbatim text: a string's value, any other scalar or structure as JSON. */
  static String text(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }

  /**
   * Where {@code record} holds a lone UTF-16 surrogate (JSON allows the escape {@code \ud800}
   * alone, but it is no Unicode text: UTF-8 writers turn it into {@code ?}), as a rejection detail;
   * null when every string and field name is valid text.
   */
  static String loneSurrogate(JsonNode record) {
    java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>();
    todo.push(record);
    while (!todo.isEmpty()) {
      JsonNode n = todo.pop();
      if (n.isTextual()) {
        int at = loneSurrogateAt(n.textValue());
        if (at >= 0) {
          return String.format(
              "a string holds a lone surrogate \\u%04x at character %d, which is not valid"
                  + " Unicode text",
              (int) n.textValue().charAt(at), at);
        }
      } else if (n.isObject()) {
        var fields = n.fields();
        while (fields.hasNext()) {
          var e = fields.next();
          if (loneSurrogateAt(e.getKey()) >= 0) {
            return "a field name holds a lone surrogate, which is not valid Unicode text";
          }
          todo.push(e.getValue());
        }
      } else if (n.isArray()) {
        n.forEach(todo::push);
      }
    }
    return null;
  }

  private static int loneSurrogateAt(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
