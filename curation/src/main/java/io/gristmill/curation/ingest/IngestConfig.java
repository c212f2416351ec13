package io.gristmill.curation.ingest;

import io.gristmill.core.config.Check;
import java.io.Serializable;

/**
 * Settings shared by all sources (YAML section {@code ingest}).
 *
 * @param maxRecordBytes a record (a JSON line, a JSON array element) larger than this many bytes is
 *     rejected as {@code oversized_record} without being parsed (YAML {@code max_record_bytes},
 *     default 1 MiB, range 64 B to 1 GiB)
 */
public record IngestConfig(Long maxRecordBytes) implements Serializable {
  public static final long DEFAULT_MAX_RECORD_BYTES = 1L << 20;

  public IngestConfig {
    maxRecordBytes =
        Check.longInRange(
            "max_record_bytes", maxRecordBytes, DEFAULT_MAX_RECORD_BYTES, 64, 1L << 30);
  }

  public static IngestConfig defaults() {
    return new IngestConfig(null);
  }
}
