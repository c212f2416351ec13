package io.gristmill.bridge.export;

import io.gristmill.core.Errors;
import io.gristmill.core.GristmillException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The export's own error messages, built from existing {@link Errors} factories (so the exit code
 * follows the factory's kind) until core has dedicated ones.
 */
final class ExportErrors {
  private ExportErrors() {}

  /** Exit 4: export never writes into a folder that holds anything. */
  static GristmillException outputNotEmpty(String dir, List<String> entries) {
    String shown =
        entries.stream().limit(5).map(e -> "'" + e + "'").collect(Collectors.joining(", "));
    if (entries.size() > 5) {
      shown += ", ...";
    }
    return Errors.outputFailed(
        "the export",
        dir,
        new IOException(
            "the folder exists and is not empty (it holds "
                + shown
                + "); choose a new --output folder, or pass --overwrite to replace it"));
  }

  /** Exit 4: the target lies inside a dataset folder or snapshot, whose data it would change. */
  static GristmillException outputInsideDataset(String dir, String ancestor, String what) {
    return Errors.outputFailed(
        "the export",
        dir,
        new IOException(
            "it lies inside "
                + ancestor
                + ", which is "
                + what
                + "; an export there would change published data behind its manifest (also with"
                + " --overwrite); choose an --output folder outside it"));
  }

  /** Exit 4: the target is (or holds) a dataset folder or snapshot; never replaced. */
  static GristmillException outputIsDataset(String dir, String what) {
    return Errors.outputFailed(
        "the export",
        dir,
        new IOException(
            "it is "
                + what
                + ", which export never replaces, also with --overwrite; choose another --output"
                + " folder"));
  }

  /** Exit 4: the target is a file. */
  static GristmillException outputIsAFile(String path) {
    return Errors.outputFailed(
        "the export",
        path,
        new IOException("it is a file, not a folder; choose another --output folder"));
  }

  /**
   * Exit 2: every row of a non-empty input was rejected, so the export would write nothing.
   *
   * @param needs what a row needs to be exported, as column-like text
   */
  static GristmillException nothingToExport(
      String format,
      String input,
      String kind,
      String needs,
      long rowsIn,
      Map<String, Long> reasons,
      String example,
      String producer) {
    String why =
        reasons.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    return Errors.inputLacksColumns(
        "export --format " + format,
        input,
        kind,
        String.format(
            Locale.ROOT,
            "%s: none of its %d rows has them, all were rejected (%s%s) and nothing was written",
            needs,
            rowsIn,
            why,
            example == null ? "" : "; e.g. " + example),
        producer);
  }
}
