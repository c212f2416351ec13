package io.gristmill.curation.dedup.exact;

import io.gristmill.core.record.Message;
import io.gristmill.core.text.StableIds;
import io.gristmill.core.text.TextNormalizer;
import io.gristmill.curation.ingest.ConversationText;
import java.util.List;

/**
 * The exact-dedup keys, independent of the source: equal keys mean equal text after {@link
 * TextNormalizer} (NFKC, case folding, whitespace collapsed).
 */
public final class DedupKeys {
  private DedupKeys() {}

  /** Hash of every turn's role and normalized content. */
  public static String conversationKey(List<Message> messages) {
    return StableIds.contentHash(ConversationText.normalized(messages));
  }

  /** Hash of the normalized first user turn (the empty string's hash when there is none). */
  public static String promptKey(List<Message> messages) {
    for (Message m : messages) {
      if (Message.USER.equals(m.role())) {
        return StableIds.contentHash(TextNormalizer.normalize(m.content()));
      }
    }
    return StableIds.contentHash("");
  }
}
