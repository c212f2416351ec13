package io.gristmill.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.jobs.curate.CurateConfig;
import io.gristmill.jobs.curate.CurateJob;
import io.gristmill.jobs.curate.RefreshJob;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code gristmill refresh --config FILE}: the nightly run. Exit 0 with a new snapshot, or 0 with
 * "nothing new" when no input changed; the usual non-zero codes otherwise.
 */
@Command(
    name = "refresh",
    mixinStandardHelpOptions = true,
    description =
        "Curate only new or changed inputs against the latest snapshot; publish a new snapshot.")
final class RefreshCommand implements Callable<Integer> {
  @Mixin JobOptions options;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CurateConfig cfg = CurateCommand.load(options);
    JsonNode effective = ConfigLoader.yamlMapper().valueToTree(cfg);
    Optional<CurateJob.Result> r =
        options.withSpark(
            "refresh " + cfg.dataset(), spark -> RefreshJob.run(spark, cfg, effective));
    PrintWriter out = spec.commandLine().getOut();
    if (r.isEmpty()) {
      out.println(
          "Nothing new: no input file changed since the latest snapshot of " + cfg.dataset());
      out.flush();
    } else {
      CurateCommand.printSnapshot(out, r.get().summary(), r.get().snapshotDir());
    }
    return 0;
  }
}
