package io.gristmill.core.snapshot;

import io.gristmill.core.stage.SummaryTable;
import java.util.Locale;
import java.util.Map;

/** The human-readable {@code summary.txt} of a snapshot, the same shape for every job. */
public final class SnapshotSummary {
  private SnapshotSummary() {}

  public static String render(SnapshotManifest m) {
    StringBuilder sb = new StringBuilder();
    sb.append("Gristmill ")
        .append(m.job())
        .append(" — dataset ")
        .append(m.dataset())
        .append(", snapshot ")
        .append(m.snapshotId())
        .append(" (kind ")
        .append(m.kind())
        .append(")\n")
        .append(String.format(Locale.ROOT, "finished in %.1f s%n%n", m.totalSeconds()));
    sb.append(SummaryTable.render(m.stages())).append('\n');
    if (m.details() != null && !m.details().isEmpty()) {
      m.details().forEach(d -> sb.append(d).append('\n'));
      sb.append('\n');
    }
    if (m.inputs() != null && !m.inputs().isEmpty()) {
      sb.append("Per input: rows read = kept + rejected (after all stages; rejected by stage)\n");
      for (SnapshotManifest.InputFile f : m.inputs()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-16s %7d = %7d + %6d  %s%s%n",
                f.source(),
                f.rowsRead(),
                f.rowsKept(),
                f.rowsRejected(),
                f.path(),
                byStage(f.rejectedByStage())));
      }
      sb.append('\n');
    }
    if (m.properties() != null && !m.properties().isEmpty()) {
      m.properties().forEach((k, v) -> sb.append(String.format("%s: %s%n", k, v)));
      sb.append('\n');
    }
    m.outputs().forEach((k, v) -> sb.append(String.format("%s: %d rows%n", k, v)));
    return sb.toString();
  }

  private static String byStage(Map<String, Long> byStage) {
    return byStage == null || byStage.isEmpty() ? "" : "  " + byStage;
  }
}
