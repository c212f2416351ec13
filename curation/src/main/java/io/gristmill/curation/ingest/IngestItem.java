package io.gristmill.curation.ingest;

import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Rejection;
import java.io.Serializable;

/**
 * One output of reading a file: a kept conversation, a rejection, or (last, once per file) the
 * file's stats. Exactly one field is set.
 */
record IngestItem(Conversation conversation, Rejection rejection, FileStats file)
    implements Serializable {

  /**
   * The rejection of a row that was read from a file that then failed its integrity check: the row
   * cannot be trusted (it may hold the corrupted bytes).
   */
  static IngestItem failedIntegrity(Conversation c, String why) {
    String excerpt =
        Rejection.excerpt(c.messages().isEmpty() ? null : c.messages().get(0).content());
    return new IngestItem(
        null,
        new Rejection(
            FileIngester.STAGE,
            IngestReason.UNREADABLE_FILE,
            c.source(),
            c.file(),
            c.line(),
            c.originalId(),
            excerpt,
            why + "; the row was read before the check failed and cannot be trusted"),
        null);
  }

  /** A small key for counting: {@code kept}, {@code rejected:<reason>} or {@code file}. */
  String kind() {
    if (conversation != null) {
      return "kept";
    }
    return rejection != null ? "rejected:" + rejection.reason().code() : "file";
  }
}
