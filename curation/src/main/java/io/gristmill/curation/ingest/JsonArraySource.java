package io.gristmill.curation.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.record.Rejection;
import java.io.IOException;
import java.io.InputStream;

/**
 * The elements of a JSON array file, streamed one at a time; {@link RawRecord#line()} is the
 * 1-based element index. Jackson reads the raw bytes and reports invalid UTF-8. A syntax error
 * inside the array makes the rest of the file unreadable: it is reported once, as a rejection of
 * the element where it happened, and the stream ends.
 */
final class JsonArraySource implements RecordSource {
  /** Without FAIL_ON_TRAILING_TOKENS: the next element always follows the current one. */
  private static final ObjectMapper STREAM = new ObjectMapper();

  private final JsonParser parser;
  private final long maxBytes;
  private long element;
  private boolean started;
  private boolean done;

  JsonArraySource(InputStream in, long maxBytes) throws IOException {
    this.parser = STREAM.getFactory().createParser(in);
    this.maxBytes = maxBytes;
  }

  @Override
  public RawRecord next() throws IOException {
    if (done) {
      return null;
    }
    try {
      if (!started) {
        started = true;
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_ARRAY) {
          done = true;
          return first == null
              ? null
              : RawRecord.bad(1, IngestReason.MALFORMED_JSON, "the file is not a JSON array", null);
        }
      }
      JsonToken t = parser.nextToken();
      if (t == JsonToken.END_ARRAY || t == null) {
        done = true;
        return null;
      }
      element++;
      long start = parser.currentTokenLocation().getByteOffset();
      JsonNode node = parser.readValueAsTree();
      long size = parser.currentLocation().getByteOffset() - start;
      String excerpt = Rejection.excerpt(node == null ? null : node.toString());
      if (size > maxBytes) {
        return RawRecord.bad(
            element,
            IngestReason.OVERSIZED_RECORD,
            "the element has "
                + size
                + " bytes; the limit (ingest.max_record_bytes) is "
                + maxBytes,
            excerpt);
      }
      if (node == null || !node.isObject()) {
        String type = node == null ? "nothing" : node.getNodeType().name().toLowerCase();
        return RawRecord.bad(
            element,
            IngestReason.NOT_AN_OBJECT,
            "the element is a JSON " + type + ", not an object",
            excerpt);
      }
      return RawRecord.ok(element, node, excerpt);
    } catch (JsonProcessingException e) {
      done = true;
      String msg = e.getOriginalMessage();
      IngestReason reason =
          msg != null && msg.contains("UTF-8")
              ? IngestReason.INVALID_UTF8
              : IngestReason.MALFORMED_JSON;
      return RawRecord.bad(
          Math.max(element, 1),
          reason,
          msg
              + " (at byte "
              + e.getLocation().getByteOffset()
              + "); the rest of the array could not be read",
          null);
    }
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
