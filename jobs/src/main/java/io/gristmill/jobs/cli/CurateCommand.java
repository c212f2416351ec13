package io.gristmill.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.jobs.curate.CurateConfig;
import io.gristmill.jobs.curate.CurateJob;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code gristmill curate --config FILE}: ingest, dedup, and publish a snapshot. */
@Command(
    name = "curate",
    mixinStandardHelpOptions = true,
    description = "Ingest the configured sources, remove duplicates, write a snapshot.")
final class CurateCommand implements Callable<Integer> {
  @Mixin JobOptions options;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CurateConfig cfg = load(options);
    JsonNode effective = ConfigLoader.yamlMapper().valueToTree(cfg);
    CurateJob.Result r =
        options.withSpark("curate " + cfg.dataset(), spark -> CurateJob.run(spark, cfg, effective));
    printSnapshot(spec.commandLine().getOut(), r.summary(), r.snapshotDir());
    return 0;
  }

  /** Prints a job's summary and where its snapshot went (the last line scripts look for). */
  static void printSnapshot(PrintWriter out, String summary, String snapshotDir) {
    out.println(summary);
    out.println("Snapshot written to: " + snapshotDir);
    out.flush();
  }

  /** Binds the config with overrides; {@code --output} becomes {@code output_root}. */
  static CurateConfig load(JobOptions o) {
    List<String> overrides = new ArrayList<>(o.overrides());
    if (o.output() != null) {
      overrides.add("output_root=" + o.output());
    }
    return ConfigLoader.load(o.config(), CurateConfig.class, overrides);
  }
}
