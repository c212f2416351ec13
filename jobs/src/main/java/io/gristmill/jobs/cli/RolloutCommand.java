package io.gristmill.jobs.cli;

import io.gristmill.core.config.ConfigLoader;
import io.gristmill.jobs.SparkSessions;
import io.gristmill.rollout.spark.RolloutConfig;
import io.gristmill.rollout.spark.RolloutJob;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
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
    SparkSession spark = SparkSessions.create("rollout " + cfg.dataset(), options.master());
    try {
      RolloutJob.Result r = RolloutJob.run(spark, cfg, options.outputOr("gristmill-output"));
      PrintWriter out = spec.commandLine().getOut();
      out.println(r.summary());
      out.println("Snapshot written to: " + r.snapshotDir());
      out.flush();
      return 0;
    } finally {
      spark.stop();
    }
  }
}
