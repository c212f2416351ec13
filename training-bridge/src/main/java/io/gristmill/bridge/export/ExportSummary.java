package io.gristmill.bridge.export;

import java.util.Locale;

/**
 * What an export wrote.
 *
 * @param format the export format
 * @param output the output directory
 * @param rows rows written
 * @param rejected rows rejected (written under {@code OUTPUT/rejected/} as Parquet)
 * @param files data files written
 * @param bytes bytes of the data files
 * @param seconds wall time
 * @param manifest the export manifest's path ({@code manifest.json}, or {@code
 *     export_manifest.json} in a shard folder)
 */
public record ExportSummary(
    String format,
    String output,
    long rows,
    long rejected,
    long files,
    long bytes,
    double seconds,
    String manifest) {

  /** One printable paragraph for the CLI. */
  public String text() {
    return String.format(
        Locale.ROOT,
        "export %s -> %s%n  rows written: %d%n  rows rejected: %d%s%n  files: %d (%.1f MB)%n"
            + "  seconds: %.1f%n  manifest: %s%n",
        format,
        output,
        rows,
        rejected,
        rejected > 0 ? " (see " + output + "/rejected/)" : "",
        files,
        bytes / 1e6,
        seconds,
        manifest);
  }
}
