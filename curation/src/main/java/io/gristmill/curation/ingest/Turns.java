package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/** Shared turn handling for formats whose turns carry their own role field. */
final class Turns {
  private Turns() {}

  /**
   * Takes {@code field} from the record as a non-empty list of turn objects and adds each one;
   * returns a rejection (missing, not a list, empty, a non-object or bad turn) or null.
   */
  static ParseOutcome addTurnList(
      ConversationBuilder b, String field, String roleField, String contentField) {
    JsonNode list = b.take(field);
    if (list.isMissingNode()) {
      return b.reject(IngestReason.MISSING_MESSAGES, "no '" + field + "' field");
    }
    if (!list.isArray()) {
      return b.reject(IngestReason.WRONG_TYPE, "'" + field + "' is not a list");
    }
    if (list.isEmpty()) {
      return b.reject(IngestReason.EMPTY_MESSAGES, "'" + field + "' is an empty list");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      String where = field + "[" + i + "]";
      if (!m.isObject()) {
        return b.reject(IngestReason.WRONG_TYPE, where + " is not an object");
      }
      ParseOutcome bad = addTurn(b, m, roleField, contentField, where);
      if (bad != null) {
        return bad;
      }
    }
    return null;
  }

  /** Adds one {@code {role, content}}-like turn; returns a rejection or null. */
  static ParseOutcome addTurn(
      ConversationBuilder b, JsonNode turn, String roleField, String contentField, String where) {
    JsonNode role = JsonFields.get(turn, roleField);
    if (role.isMissingNode()) {
      return b.reject(IngestReason.MISSING_FIELD, where + " has no '" + roleField + "'");
    }
    if (!role.isTextual()) {
      return b.reject(IngestReason.WRONG_TYPE, where + " '" + roleField + "' is not a string");
    }
    String canonical = Roles.canonical(role.asText());
    if (canonical == null) {
      return b.reject(
          IngestReason.UNKNOWN_ROLE, where + " has unknown role '" + role.asText() + "'");
    }
    return b.add(canonical, JsonFields.get(turn, contentField), where);
  }
}
