package io.gristmill.curation.ingest;

import io.gristmill.core.record.Rejection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The elements of a JSON array file, streamed one at a time; {@link RawRecord#line()} is the
 * 1-based element index, counted across the file.
 *
 * <p>The array is split into elements by a small byte scanner (strings, escapes and bracket depth),
 * and each element is then parsed on its own like a JSON line ({@link JsonLinesSource#parse}). So
 * one bad element costs only itself: a syntax error, invalid UTF-8, an element over {@code
 * max_record_bytes} (skipped without being held in memory, whatever its size) or nested deeper than
 * {@link #MAX_DEPTH} levels is rejected and the next element is read. Nothing vanishes: a second
 * array after the first (concatenated arrays) is read on, content after the last array is rejected
 * as {@code malformed_json}, and a file that ends inside the array (truncated) rejects the element
 * it ends in, or, when it ends between elements, reports the missing {@code ]} once.
 */
final class JsonArraySource implements RecordSource {
  /** Deeper elements are rejected; Jackson's default nesting limit, which the parse applies. */
  static final int MAX_DEPTH = 1000;

  private static final int EXCERPT_BYTES = 1024;

  private final InputStream in;
  private final long maxBytes;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private long offset; // bytes consumed before buf[pos]
  private boolean eof;
  private long element;
  private boolean inArray;
  private boolean done;
  private byte[] elem = new byte[1 << 12];
  private int elemLen;

  JsonArraySource(InputStream in, long maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  @Override
  public RawRecord next() throws IOException {
    while (!done) {
      if (!inArray) {
        int b = skipSpace(true);
        if (b < 0) {
          done = true;
          return null;
        }
        if (b != '[') {
          done = true;
          return RawRecord.bad(
              element + 1,
              IngestReason.MALFORMED_JSON,
              (element == 0 ? "the file is not a JSON array" : "unexpected content after the array")
                  + " (at byte "
                  + offset
                  + "); the rest of the file could not be read",
              excerptAhead());
        }
        take();
        inArray = true;
        int c = skipSpace(false);
        if (c == ']') {
          take();
          inArray = false;
          continue;
        }
      }
      int c = skipSpace(false);
      if (c < 0) {
        done = true;
        return RawRecord.bad(
            element + 1,
            IngestReason.MALFORMED_JSON,
            "the file ends before the array is closed (no ']' at byte " + offset + ")",
            null);
      }
      return element();
    }
    return null;
  }

  /** Reads one element up to its ',' or ']' and parses it. */
  private RawRecord element() throws IOException {
    element++;
    long start = offset;
    elemLen = 0;
    long size = 0;
    int depth = 0;
    int maxDepth = 0;
    boolean inString = false;
    boolean escape = false;
    while (true) {
      int b = peek();
      if (b < 0 && depth == 0 && !inString && elemLen > 0) {
        // The file ends right after a whole element: keep it; the next call reports the
        // missing ']'.
        break;
      }
      if (b < 0) {
        done = true;
        return RawRecord.bad(
            element,
            IngestReason.MALFORMED_JSON,
            "the file ends inside this element (it started at byte "
                + start
                + "); the rest of the array could not be read",
            excerpt());
      }
      if (inString) {
        if (escape) {
          escape = false;
        } else if (b == '\\') {
          escape = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
      } else if (b == '}' || b == ']') {
        if (depth == 0 && b == ']') {
          take();
          inArray = false;
          break;
        }
        depth = Math.max(0, depth - 1);
      } else if (b == ',' && depth == 0) {
        take();
        break;
      }
      take();
      size++;
      if (size <= maxBytes || elemLen < EXCERPT_BYTES) {
        append(b);
      }
    }
    // Trailing whitespace before ',' or ']' is not part of the element's size.
    while (elemLen > 0 && isSpace(elem[elemLen - 1] & 0xFF) && size <= maxBytes) {
      elemLen--;
      size--;
    }
    if (size > maxBytes) {
      return RawRecord.bad(
          element,
          IngestReason.OVERSIZED_RECORD,
          "the element has " + size + " bytes; the limit (ingest.max_record_bytes) is " + maxBytes,
          excerpt());
    }
    if (maxDepth > MAX_DEPTH) {
      return RawRecord.bad(
          element,
          IngestReason.OVERSIZED_RECORD,
          "the element is nested " + maxDepth + " levels deep; the limit is " + MAX_DEPTH,
          excerpt());
    }
    if (elemLen == 0) {
      return RawRecord.bad(
          element,
          IngestReason.MALFORMED_JSON,
          "the element is empty (at byte " + start + ")",
          null);
    }
    RawRecord r = JsonLinesSource.decodeAndParse(element, elem, 0, elemLen);
    return r;
  }

  private String excerpt() {
    return Rejection.excerpt(
        new String(elem, 0, Math.min(elemLen, EXCERPT_BYTES), StandardCharsets.UTF_8));
  }

  /** The start of what follows, for a rejection of content after the array. */
  private String excerptAhead() throws IOException {
    if (pos == limit && !fill()) {
      return null;
    }
    return Rejection.excerpt(
        new String(buf, pos, Math.min(limit - pos, EXCERPT_BYTES), StandardCharsets.UTF_8));
  }

  private void append(int b) {
    if (elemLen == elem.length) {
      byte[] bigger = new byte[elem.length * 2];
      System.arraycopy(elem, 0, bigger, 0, elemLen);
      elem = bigger;
    }
    elem[elemLen++] = (byte) b;
  }

  /** The next byte that is not whitespace (nor, at the start of the file, a BOM), or -1. */
  private int skipSpace(boolean bom) throws IOException {
    while (true) {
      int b = peek();
      if (b < 0) {
        return -1;
      }
      if (isSpace(b) || (bom && offset < 3 && (b == 0xEF || b == 0xBB || b == 0xBF))) {
        take();
      } else {
        return b;
      }
    }
  }

  private static boolean isSpace(int b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private int peek() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buf[pos] & 0xFF;
  }

  private void take() {
    pos++;
    offset++;
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      eof = true;
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
