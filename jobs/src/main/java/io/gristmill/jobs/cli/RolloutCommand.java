package io.gristmill.jobs.cli;

import io.gristmill.core.config.ConfigLoader;
import io.gristmill.rollout.spark.RolloutConfig;
import io.gristmill.rollout.spark.RolloutJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code gristmill rollout --config FILE}: batched generation inside the Spark executors. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = "Roll out a prompt set through a model in the Spark executors; write a snapshot.")
final class RolloutCommand implements Callable<Integer> {
  @Mixin JobOptions options;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    RolloutConfig cfg =
        ConfigLoader.load(options.config(), RolloutConfig.class, options.overrides());
    // Kind and paths are checked before Spark starts.
    RolloutJob.checkInput(cfg, io.gristmill.jobs.HadoopConfs.beforeSpark());
    RolloutJob.Result r =
        options.withSpark(
            "rollout " + cfg.dataset(),
            spark -> RolloutJob.run(spark, cfg, options.outputOr("gristmill-output")));
    CurateCommand.printSnapshot(spec.commandLine().getOut(), r.summary(), r.snapshotDir());
    return 0;
  }
}
