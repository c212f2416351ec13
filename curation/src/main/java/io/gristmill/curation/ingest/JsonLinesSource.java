package io.gristmill.curation.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.record.Rejection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSON lines from raw bytes. Lines are split on {@code \n} (a trailing {@code \r} is dropped);
 * blank lines are skipped but counted, so {@link RawRecord#line()} is the physical line number.
 * Each line is decoded with a strict UTF-8 decoder (invalid bytes are reported, never replaced),
 * and a line over the size limit is skipped without being held in memory.
 */
final class JsonLinesSource implements RecordSource {
  /**
   * Strings may be as long as the record limit allows ({@code max_record_bytes} bounds every record
   * before it is parsed), so Jackson's own string length cap is lifted.
   */
  static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final InputStream in;
  private final long maxBytes;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private long line;
  private boolean eof;
  private byte[] lineBytes = new byte[1 << 12];
  private int lineLen;
  private long lineSize;

  JsonLinesSource(InputStream in, long maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  @Override
  public RawRecord next() throws IOException {
    while (readLine()) {
      line++;
      if (lineSize > maxBytes) {
        String head = new String(lineBytes, 0, lineLen, StandardCharsets.UTF_8);
        return RawRecord.bad(
            line,
            IngestReason.OVERSIZED_RECORD,
            "the line has "
                + lineSize
                + " bytes; the limit (ingest.max_record_bytes) is "
                + maxBytes,
            Rejection.excerpt(head));
      }
      int start = 0;
      if (line == 1
          && lineLen >= 3
          && (lineBytes[0] & 0xFF) == 0xEF
          && (lineBytes[1] & 0xFF) == 0xBB
          && (lineBytes[2] & 0xFF) == 0xBF) {
        start = 3;
      }
      if (isBlank(lineBytes, start, lineLen)) {
        continue;
      }
      return decodeAndParse(line, lineBytes, start, lineLen - start);
    }
    return null;
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xFF;
      if (!(c == ' ' || c == '\t' || c == '\r' || c == 0x0B || c == '\f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decodes one record's bytes with a strict UTF-8 decoder (invalid bytes are an {@code
   * invalid_utf8} rejection, never replaced) and parses the text ({@link #parse}).
   */
  static RawRecord decodeAndParse(long line, byte[] bytes, int from, int length) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, from, length))
              .toString();
    } catch (CharacterCodingException e) {
      String lossy = new String(bytes, from, length, StandardCharsets.UTF_8);
      return RawRecord.bad(
          line,
          IngestReason.INVALID_UTF8,
          "the record is not valid UTF-8",
          Rejection.excerpt(lossy));
    }
    return parse(line, text);
  }

  /** Parses one record's text into a JSON object or a rejection. */
  static RawRecord parse(long line, String text) {
    String excerpt = Rejection.excerpt(text);
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return RawRecord.bad(line, IngestReason.MALFORMED_JSON, e.getOriginalMessage(), excerpt);
    }
    if (node == null || !node.isObject()) {
      String type = node == null ? "nothing" : node.getNodeType().name().toLowerCase();
      return RawRecord.bad(
          line,
          IngestReason.NOT_AN_OBJECT,
          "the record is a JSON " + type + ", not an object",
          excerpt);
    }
    return RawRecord.ok(line, node, excerpt);
  }

  /** Reads the next line into lineBytes (capped); false at the end of input. */
  private boolean readLine() throws IOException {
    lineLen = 0;
    lineSize = 0;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        if (eof) {
          return any;
        }
        limit = in.read(buf, 0, buf.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          eof = true;
          return any;
        }
      }
      any = true;
      int nl = -1;
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      int end = nl < 0 ? limit : nl;
      append(pos, end);
      pos = nl < 0 ? limit : nl + 1;
      if (nl >= 0) {
        if (lineLen > 0 && lineBytes[lineLen - 1] == '\r' && lineSize <= maxBytes) {
          lineLen--;
          lineSize--;
        }
        return true;
      }
    }
  }

  private void append(int from, int to) {
    int n = to - from;
    lineSize += n;
    long keep = lineSize > maxBytes ? Math.min(n, Math.max(0, 1024 - lineLen)) : n;
    if (keep <= 0) {
      return;
    }
    if (lineLen + keep > lineBytes.length) {
      byte[] bigger = new byte[(int) Math.max(lineBytes.length * 2L, lineLen + keep)];
      System.arraycopy(lineBytes, 0, bigger, 0, lineLen);
      lineBytes = bigger;
    }
    System.arraycopy(buf, from, lineBytes, lineLen, (int) keep);
    lineLen += (int) keep;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
