package io.gristmill.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.jobs.curate.CurateConfig;
import io.gristmill.jobs.curate.CurateJob;
import io.gristmill.jobs.curate.RefreshJob;
import io.gristmill.jobs.curate.RefreshPlan;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gristmill refresh --config FILE [--dry-run] [--full]}: the nightly run. Exit 0 with a new
 * snapshot, or 0 with "nothing new" when no input changed; 4 when another run holds the dataset's
 * lock; the usual non-zero codes otherwise.
 */
@Command(
    name = "refresh",
    mixinStandardHelpOptions = true,
    description =
        "Curate only new or changed inputs against the latest snapshot; publish a new snapshot."
            + " A changed or deleted input makes it read every input again (like --full).")
final class RefreshCommand implements Callable<Integer> {
  @Mixin JobOptions options;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dry-run",
      description =
          "Print what would be read, replaced and removed, and exit; no Spark, nothing written.")
  boolean dryRun;

  @Option(
      names = "--full",
      description = "Read every input again (the result equals a full curate of them).")
  boolean full;

  @Override
  public Integer call() {
    CurateConfig cfg = CurateCommand.load(options);
    RunSummary.put("dataset", cfg.dataset());
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      RefreshPlan plan = RefreshPlan.of(cfg, io.gristmill.jobs.HadoopConfs.beforeSpark(), full);
      RunSummary.put("dry_run", true);
      RunSummary.put("refresh_mode", plan.mode().name().toLowerCase(java.util.Locale.ROOT));
      out.print(plan.render(cfg.dataset()));
      out.flush();
      return 0;
    }
    JsonNode effective = ConfigLoader.yamlMapper().valueToTree(cfg);
    CurateJob.preflight(cfg, io.gristmill.jobs.HadoopConfs.beforeSpark());
    Optional<CurateJob.Result> r =
        options.withSpark(
            "refresh " + cfg.dataset(), spark -> RefreshJob.run(spark, cfg, effective, full));
    if (r.isEmpty()) {
      RunSummary.put("refresh_mode", "nothing");
      out.println(
          "Nothing new: no input file changed since the latest snapshot of " + cfg.dataset());
      out.flush();
    } else {
      CurateCommand.printSnapshot(out, r.get());
    }
    return 0;
  }
}
