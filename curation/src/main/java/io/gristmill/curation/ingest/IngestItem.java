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

  /** A small key for counting: {@code kept}, {@code rejected:<reason>} or {@code file}. */
  String kind() {
    if (conversation != null) {
      return "kept";
    }
    return rejection != null ? "rejected:" + rejection.reason().code() : "file";
  }
}
