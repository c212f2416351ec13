package io.gristmill.curation.ingest;

import io.gristmill.core.record.Conversation;

/**
 * What a parser made of one record: a canonical conversation, or a reason to reject it. Exactly one
 * of {@code conversation} and {@code reason} is set.
 *
 * @param conversation the canonical record, or null when rejected
 * @param reason why the record was rejected, or null when kept
 * @param detail a human-readable explanation of the rejection
 * @param originalId the input's id field, verbatim, when it could be read (also for rejections)
 */
public record ParseOutcome(
    Conversation conversation, IngestReason reason, String detail, String originalId) {

  public static ParseOutcome kept(Conversation c) {
    return new ParseOutcome(c, null, null, c.originalId());
  }

  public static ParseOutcome rejected(IngestReason reason, String detail, String originalId) {
    return new ParseOutcome(null, reason, detail, originalId);
  }

  public boolean isKept() {
    return conversation != null;
  }
}
