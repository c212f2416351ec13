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
 * @param dataSource what kind of task the row is for reward routing (verl's {@code data_source},
 *     e.g. {@code openai/gsm8k}), or null for chat data
 * @param groundTruth the reference answer of a prompt-set row (GSM8K's number after {@code ####},
 *     MATH's {@code \boxed{}} content), or null
 * @param file the input file the row was read from (lineage), or null
 * @param line its 1-based position in that file (line, array element or Parquet row), or 0
 */
public record Conversation(
    String id,
    String source,
    List<Message> messages,
    String originalId,
    String metadata,
    String dataSource,
    String groundTruth,
    String file,
    long line)
    implements Serializable {
  public Conversation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    messages = List.copyOf(messages);
    metadata = metadata == null ? "{}" : metadata;
  }

  /** A chat row with no ground truth and no lineage (tests, fixtures). */
  public Conversation(
      String id, String source, List<Message> messages, String originalId, String metadata) {
    this(id, source, messages, originalId, metadata, null, null, null, 0L);
  }

  /** This row with its lineage set. */
  public Conversation withLineage(String file, long line) {
    return new Conversation(
        id, source, messages, originalId, metadata, dataSource, groundTruth, file, line);
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
