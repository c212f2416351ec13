package io.gristmill.core.stage;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders stage reports as the plain-text table printed at the end of every run. */
public final class SummaryTable {
  private SummaryTable() {}

  public static String render(List<StageReport> stages) {
    String[] header = {"stage", "rows in", "kept", "rejected", "by reason", "seconds"};
    String[][] rows = new String[stages.size()][];
    for (int i = 0; i < stages.size(); i++) {
      StageReport s = stages.get(i);
      rows[i] =
          new String[] {
            s.stage(),
            Long.toString(s.rowsIn()),
            Long.toString(s.kept()),
            Long.toString(s.rejectedTotal()),
            reasons(s.rejected()),
            String.format(Locale.ROOT, "%.1f", s.seconds())
          };
    }
    int[] width = new int[header.length];
    for (int c = 0; c < header.length; c++) {
      width[c] = header[c].length();
      for (String[] r : rows) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width);
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < width.length; c++) {
      rule.append("-".repeat(width[c])).append(c + 1 < width.length ? "-+-" : "");
    }
    sb.append(rule).append('\n');
    for (String[] r : rows) {
      line(sb, r, width);
    }
    return sb.toString();
  }

  private static String reasons(Map<String, Long> rejected) {
    if (rejected.isEmpty()) {
      return "-";
    }
    return rejected.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  private static void line(StringBuilder sb, String[] cells, int[] width) {
    for (int c = 0; c < cells.length; c++) {
      boolean numeric = c == 1 || c == 2 || c == 3 || c == 5;
      String cell = cells[c];
      String pad = " ".repeat(width[c] - cell.length());
      sb.append(numeric ? pad + cell : cell + pad);
      if (c + 1 < cells.length) {
        sb.append(" | ");
      }
    }
    sb.append('\n');
  }
}
