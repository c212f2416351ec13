package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Reason;

/** Shared turn handling for formats whose turns carry their own role field. */
final class Turns {
  private Turns() {}

  /** Adds one {@code {role, content}}-like turn; returns a rejection or null. */
  static ParseOutcome addTurn(
      ConversationBuilder b, JsonNode turn, String roleField, String contentField, String where) {
    JsonNode role = JsonFields.get(turn, roleField);
    if (role.isMissingNode()) {
      return b.reject(Reason.MISSING_FIELD, where + " has no '" + roleField + "'");
    }
    if (!role.isTextual()) {
      return b.reject(Reason.WRONG_TYPE, where + " '" + roleField + "' is not a string");
    }
    String canonical = Roles.canonical(role.asText());
    if (canonical == null) {
      return b.reject(Reason.UNKNOWN_ROLE, where + " has unknown role '" + role.asText() + "'");
    }
    return b.add(canonical, JsonFields.get(turn, contentField), where);
  }
}
