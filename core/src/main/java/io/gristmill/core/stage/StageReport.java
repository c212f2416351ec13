package io.gristmill.core.stage;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one stage did: rows in, rows kept, rows rejected per reason code, and wall seconds. The
 * invariant {@code rowsIn == kept + sum(rejected)} is checked at construction.
 */
public record StageReport(
    String stage, long rowsIn, long kept, Map<String, Long> rejected, double seconds) {
  public StageReport {
    // Sorted by reason code, so reports and summaries list reasons in a stable order.
    rejected = java.util.Collections.unmodifiableMap(new TreeMap<>(rejected));
    long dropped = rejected.values().stream().mapToLong(Long::longValue).sum();
    if (rowsIn != kept + dropped) {
      throw new IllegalStateException(
          String.format(
              "Cannot report stage %s: rows in (%d) != kept (%d) + rejected (%d); rows were lost",
              stage, rowsIn, kept, dropped));
    }
  }

  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
