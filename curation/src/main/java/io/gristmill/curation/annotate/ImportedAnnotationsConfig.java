package io.gristmill.curation.annotate;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * One file of annotations computed elsewhere (e.g. Magpie's tagger on a GPU cluster).
 *
 * @param path a JSONL or Parquet file (or folder/glob Spark reads)
 * @param format {@code jsonl} or {@code parquet} (default from the extension)
 * @param joinOn {@code id} (the file's {@code key_field} equals the row's {@code id}) or {@code
 *     first_user_turn} (its text, normalized like exact dedup's prompt key, equals the row's first
 *     user turn)
 * @param keyField the file's column holding the key (default {@code id} or {@code instruction})
 * @param columns the file's columns to add; an entry {@code "from:to"} renames; existing row
 *     columns of the same name are replaced where matched and kept where not
 */
public record ImportedAnnotationsConfig(
    String path, String format, String joinOn, String keyField, List<String> columns)
    implements Serializable {
  public ImportedAnnotationsConfig {
    Check.requiredText("annotate.imported.path", path);
    format =
        format != null
            ? format.toLowerCase(Locale.ROOT)
            : (path.endsWith(".parquet") ? "parquet" : "jsonl");
    if (!format.equals("jsonl") && !format.equals("parquet")) {
      throw io.gristmill.core.Errors.invalidValue(
          "annotate.imported.format", format, "jsonl or parquet");
    }
    joinOn = Check.orDefault(joinOn, "id");
    if (!joinOn.equals("id") && !joinOn.equals("first_user_turn")) {
      throw io.gristmill.core.Errors.invalidValue(
          "annotate.imported.join_on", joinOn, "id or first_user_turn");
    }
    keyField = Check.orDefault(keyField, joinOn.equals("id") ? "id" : "instruction");
    Check.required("annotate.imported.columns", columns);
    if (columns.isEmpty()) {
      throw io.gristmill.core.Errors.invalidValue(
          "annotate.imported.columns", "[]", "at least one column");
    }
    columns = List.copyOf(columns);
  }

  /** The file's column of entry {@code c}. */
  static String from(String c) {
    int i = c.indexOf(':');
    return i < 0 ? c : c.substring(0, i);
  }

  /** The row column entry {@code c} becomes. */
  static String to(String c) {
    int i = c.indexOf(':');
    return i < 0 ? c : c.substring(i + 1);
  }
}
