package io.gristmill.core.record;

import java.io.Serializable;

/**
 * A row a stage dropped, with where it came from and why. Nothing is dropped without one.
 *
 * @param stage the stage that dropped the row (e.g. {@code ingest}, {@code exact_dedup})
 * @param reason why
 * @param source the source name from the config
 * @param file the input file the row came from
 * @param line 1-based position in the file: the line of a JSON-lines file, the element of a JSON
 *     array, the row of a Parquet file; 0 when the whole file was rejected
 * @param originalId the input's own id field, verbatim, when it could be read
 * @param excerpt a short excerpt of the raw input (at most {@link #EXCERPT_CHARS} characters)
 * @param detail a human-readable explanation
 */
public record Rejection(
    String stage,
    ReasonCode reason,
    String source,
    String file,
    long line,
    String originalId,
    String excerpt,
    String detail)
    implements Serializable {
  public static final int EXCERPT_CHARS = 200;

  public static String excerpt(String raw) {
    if (raw == null) {
      return null;
    }
    String oneLine = raw.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= EXCERPT_CHARS ? oneLine : oneLine.substring(0, EXCERPT_CHARS) + "…";
  }
}
