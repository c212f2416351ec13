package io.gristmill.core.stage;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a {@link Stage} returns.
 *
 * @param kept the rows that go on to the next stage
 * @param rejected dropped rows in the core REJECTED schema (see {@code RejectedRows})
 * @param report counts per reason and seconds
 * @param details human-readable lines for the run summary (banding chosen, per-benchmark counts)
 * @param state saved state for later runs, or empty
 */
public record StageOutput(
    Dataset<Row> kept,
    Dataset<Row> rejected,
    StageReport report,
    List<String> details,
    List<SavedState> state) {
  public StageOutput {
    details = List.copyOf(details);
    state = List.copyOf(state);
  }

  public static StageOutput of(Dataset<Row> kept, Dataset<Row> rejected, StageReport report) {
    return new StageOutput(kept, rejected, report, List.of(), List.of());
  }

  public StageOutput withDetails(List<String> more) {
    return new StageOutput(kept, rejected, report, more, state);
  }

  public StageOutput withState(SavedState s) {
    return new StageOutput(kept, rejected, report, details, List.of(s));
  }
}
