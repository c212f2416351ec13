package io.gristmill.core.stage;

import io.gristmill.core.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an ordered list of {@link Stage}s: each stage's kept rows are the next one's input. It logs
 * each stage's start and end with counts, shows Spark progress for long stages, unions the rejected
 * rows, and checks the contract: each stage's rows in equal the previous stage's kept rows, and (by
 * {@link StageReport}) rows in = kept + rejected.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final List<Stage> stages;

  public Pipeline(List<Stage> stages) {
    this.stages = List.copyOf(stages);
  }

  public List<Stage> stages() {
    return stages;
  }

  /** What the whole pipeline produced. */
  public record Result(
      Dataset<Row> kept,
      Dataset<Row> rejected,
      List<StageReport> reports,
      List<String> details,
      List<SavedState> state) {}

  /** Runs every stage over {@code input} (null when the first stage reads its own input). */
  public Result run(Dataset<Row> input, StageContext context) {
    Dataset<Row> current = input;
    Dataset<Row> rejected = null;
    List<StageReport> reports = new ArrayList<>();
    List<String> details = new ArrayList<>();
    List<SavedState> state = new ArrayList<>();
    for (Stage stage : stages) {
      LOG.info("stage {}: start", stage.name());
      StageOutput out;
      try (Progress p = Progress.ofSparkTasks(context.spark(), "stage " + stage.name())) {
        out = stage.apply(current, context);
      }
      StageReport r = out.report();
      if (!reports.isEmpty()) {
        StageReport prev = reports.get(reports.size() - 1);
        if (r.rowsIn() != prev.kept()) {
          throw Errors.rowsLost(r.stage(), prev.kept(), r.rowsIn(), prev.stage());
        }
      }
      LOG.info(
          "stage {}: done in {} s — {} in, {} kept, {} rejected {}",
          r.stage(),
          String.format(Locale.ROOT, "%.1f", r.seconds()),
          r.rowsIn(),
          r.kept(),
          r.rejectedTotal(),
          r.rejected());
      out.details().forEach(d -> LOG.info("{}", d));
      reports.add(r);
      details.addAll(out.details());
      state.addAll(out.state());
      rejected = rejected == null ? out.rejected() : rejected.unionByName(out.rejected());
      current = out.kept();
    }
    return new Result(current, rejected, reports, details, state);
  }
}
