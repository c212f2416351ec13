package io.gristmill.curation.ingest;

import io.gristmill.core.record.Message;
import io.gristmill.core.text.TextNormalizer;
import java.util.List;

/**
 * The normalized text of a whole conversation, which record ids and exact-dedup keys hash: each
 * turn as {@code role U+0001 normalized content}, turns joined by U+0002, so that the same words
 * split differently across turns or roles never collide.
 */
public final class ConversationText {
  private ConversationText() {}

  public static String normalized(List<Message> messages) {
    StringBuilder sb = new StringBuilder();
    for (Message m : messages) {
      if (sb.length() > 0) {
        sb.append('\u0002');
      }
      sb.append(m.role()).append('\u0001').append(TextNormalizer.normalize(m.content()));
    }
    return sb.toString();
  }
}
