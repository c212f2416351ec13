package io.gristmill.curation.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * How a file's bytes are laid out. {@code auto} decides by extension after stripping {@code .gz}:
 * {@code .parquet} is Parquet, {@code .json} is sniffed (a leading {@code [} means a JSON array,
 * anything else JSON lines), everything else is JSON lines. A {@code .gz} suffix always means gzip.
 */
public enum FileFormat {
  @JsonProperty("auto")
  AUTO,
  @JsonProperty("jsonl")
  JSONL,
  @JsonProperty("json")
  JSON,
  @JsonProperty("parquet")
  PARQUET;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The layout for {@code path}: this one unless {@code auto}, else decided by extension. */
  FileFormat resolve(String path) {
    if (this != AUTO) {
      return this;
    }
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".gz")) {
      p = p.substring(0, p.length() - 3);
    }
    if (p.endsWith(".parquet")) {
      return PARQUET;
    }
    return p.endsWith(".json") ? JSON : JSONL;
  }

  static boolean isGzip(String path) {
    return path.toLowerCase(Locale.ROOT).endsWith(".gz");
  }
}
