package io.gristmill.jobs.cli;

import io.gristmill.scoring.value.SelectionReport;
import io.gristmill.scoring.value.ValueMetrics;
import io.gristmill.scoring.value.ValueModelConfig;
import io.gristmill.scoring.value.ValueModelJob;
import io.gristmill.scoring.value.ValueModelReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gristmill value-model train|evaluate|select --config FILE}: the Prompt Curriculum Learning
 * value model that predicts a prompt's pass rate from the prompt alone.
 */
@Command(
    name = "value-model",
    mixinStandardHelpOptions = true,
    description =
        "Train or evaluate the pass-rate value model, or select prompts near a target pass rate.")
final class ValueModelCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ACTION", description = "train | evaluate | select")
  Action action;

  enum Action {
    train,
    evaluate,
    select
  }

  @Mixin JobOptions options;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ValueModelConfig cfg = ValueModelConfig.load(options.config(), options.overrides());
    ValueModelJob.checkInput(cfg, action.name(), io.gristmill.jobs.HadoopConfs.beforeSpark());
    PrintWriter out = spec.commandLine().getOut();
    options.withSpark(
        "value-model " + action,
        spark -> {
          switch (action) {
            case train -> print(out, "trained", ValueModelJob.train(spark, cfg));
            case evaluate -> print(out, "evaluated", ValueModelJob.evaluate(spark, cfg));
            case select ->
                print(out, ValueModelJob.select(spark, cfg, options.outputOr("gristmill-output")));
          }
          return null;
        });
    out.flush();
    return 0;
  }

  private static void print(PrintWriter out, String verb, ValueModelReport r) {
    ValueMetrics m = r.heldOut();
    out.printf(
        Locale.ROOT,
        "%s on %d prompts in %.1f s%nheld out: %d prompts, Spearman %.4f, Pearson %.4f, MSE %.4f,"
            + " Brier %.4f (constant-mean baseline %.4f)%ncalibration (predicted -> observed):%n",
        verb,
        r.trainRows(),
        r.seconds(),
        m.rows(),
        m.spearman(),
        m.pearson(),
        m.mse(),
        m.brier(),
        m.brierBaseline());
    for (ValueMetrics.Bin b : m.calibration()) {
      out.printf(
          Locale.ROOT,
          "  [%.2f, %.2f) n=%-6d %.3f -> %.3f%n",
          b.low(),
          b.high(),
          b.count(),
          b.meanPredicted(),
          b.meanObserved());
    }
  }

  private static void print(PrintWriter out, SelectionReport r) {
    out.printf(
        Locale.ROOT,
        "selected %d of %d prompts in %.1f s (no language-model forward passes)%n"
            + "mean predicted pass rate %.4f, largest distance to target %.4f, mean observed %.4f%n",
        r.selected(),
        r.poolRows(),
        r.seconds(),
        r.meanPredicted(),
        r.maxDistance(),
        r.meanLabelSelected());
    if (r.snapshotDir() != null) {
      out.println("Snapshot written to: " + r.snapshotDir());
    }
  }
}
