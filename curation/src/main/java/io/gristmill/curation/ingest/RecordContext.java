package io.gristmill.curation.ingest;

import java.util.List;
import java.util.Map;

/**
 * What a parser knows besides the record: its source's settings and, for answer files, the
 * questions looked up by id.
 *
 * @param source the source's config (name, field renames, prompt_only)
 * @param promptLookup question id to user turns, from {@link SourceConfig#promptsFrom()}; empty
 *     when the source has none
 */
public record RecordContext(SourceConfig source, Map<String, List<String>> promptLookup) {
  public RecordContext {
    promptLookup = promptLookup == null ? Map.of() : promptLookup;
  }

  public static RecordContext of(SourceConfig source) {
    return new RecordContext(source, Map.of());
  }

  /** The input field name (or JSON Pointer) for logical field {@code key}. */
  String field(String key, String dflt) {
    return source.field(key, dflt);
  }
}
