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
}
