package io.gristmill.jobs.cli;

import io.gristmill.core.stage.SummaryTable;
import io.gristmill.scoring.ScoreConfig;
import io.gristmill.scoring.ScoreJob;
import io.gristmill.scoring.ScoreSummary;
import java.util.Locale;
import java.util.concurrent.Callable;
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
    ScoreJob.checkInput(cfg, io.gristmill.jobs.HadoopConfs.beforeSpark());
    ScoreSummary s =
        options.withSpark(
            "score", spark -> ScoreJob.run(spark, cfg, options.outputOr("gristmill-output")));
    StringBuilder text = new StringBuilder(SummaryTable.render(s.stages()));
    s.numbers().forEach((k, v) -> text.append(String.format(Locale.ROOT, "%-28s %s%n", k, fmt(v))));
    CurateCommand.printSnapshot(spec.commandLine().getOut(), text.toString(), s.snapshotDir());
    return 0;
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.4f", v);
  }
}
