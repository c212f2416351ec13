package io.gristmill.jobs.cli;

import io.gristmill.core.stage.SummaryTable;
import io.gristmill.jobs.SparkSessions;
import io.gristmill.scoring.ScoreConfig;
import io.gristmill.scoring.ScoreJob;
import io.gristmill.scoring.ScoreSummary;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code gristmill score --config FILE}: rewards, group advantages, difficulty values and DUMP
 * weights over a rollout snapshot or imported rollouts.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description =
        "Score rollouts: verified rewards, GRPO advantages, pass rates and DUMP source weights.")
final class ScoreCommand implements Callable<Integer> {
  @Mixin JobOptions options;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ScoreConfig cfg = ScoreConfig.load(options.config(), options.overrides());
    SparkSession spark = SparkSessions.create("score", options.master());
    try {
      ScoreSummary s = ScoreJob.run(spark, cfg, options.outputOr("gristmill-output"));
      PrintWriter out = spec.commandLine().getOut();
      out.println(SummaryTable.render(s.stages()));
      s.numbers().forEach((k, v) -> out.println(String.format(Locale.ROOT, "%-28s %s", k, fmt(v))));
      out.println("Snapshot written to: " + s.snapshotDir());
      out.flush();
      return 0;
    } finally {
      spark.stop();
    }
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.4f", v);
  }
}
