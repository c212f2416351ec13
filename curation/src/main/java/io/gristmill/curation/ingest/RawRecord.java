package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record as read from a file, before format parsing: a JSON object, or the reason it could not
 * be read as one.
 *
 * @param line 1-based line (JSON lines), element (JSON array) or row (Parquet)
 * @param node the record, or null when {@code reason} is set
 * @param reason why the record could not be read, or null
 * @param detail explanation of {@code reason}
 * @param excerpt the start of the raw record, for the rejected output
 */
record RawRecord(long line, JsonNode node, IngestReason reason, String detail, String excerpt) {
  static RawRecord ok(long line, JsonNode node, String excerpt) {
    return new RawRecord(line, node, null, null, excerpt);
  }

  static RawRecord bad(long line, IngestReason reason, String detail, String excerpt) {
    return new RawRecord(line, null, reason, detail, excerpt);
  }
}
