package io.gristmill.core.record;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The canonical record every ingested sample becomes.
 *
 * @param id stable hash of the source name and the normalized content (see {@link
 *     io.gristmill.core.text.StableIds})
 * @param source the source name from the config
 * @param messages the turns, in order
 * @param originalId the input's own {@code id}/{@code idx} field, verbatim, or null
 * @param metadata the input's other fields as a JSON object text ({@code "{}"} when none)
 */
public record Conversation(
    String id, String source, List<Message> messages, String originalId, String metadata)
    implements Serializable {
  public Conversation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    messages = List.copyOf(messages);
    metadata = metadata == null ? "{}" : metadata;
  }

  /** The first user turn, or the empty string when there is none. */
  public String firstUserTurn() {
    for (Message m : messages) {
      if (Message.USER.equals(m.role())) {
        return m.content();
      }
    }
    return "";
  }
}
