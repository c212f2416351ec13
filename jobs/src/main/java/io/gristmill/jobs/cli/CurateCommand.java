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
    RunSummary.put("dataset", cfg.dataset());
    JsonNode effective = ConfigLoader.yamlMapper().valueToTree(cfg);
    // Benchmarks, output placement: checked before Spark starts.
    CurateJob.preflight(cfg, io.gristmill.jobs.HadoopConfs.beforeSpark());
    CurateJob.Result r =
        options.withSpark("curate " + cfg.dataset(), spark -> CurateJob.run(spark, cfg, effective));
    printSnapshot(spec.commandLine().getOut(), r);
    return 0;
  }

  /** Prints a curate or refresh result, with retention, and records it for the summary line. */
  static void printSnapshot(PrintWriter out, CurateJob.Result r) {
    RunSummary.snapshot(r.manifest(), r.snapshotDir());
    if (!r.retired().isEmpty()) {
      RunSummary.put("snapshots_retired", r.retired());
      out.println("Retention (keep_last): deleted snapshot(s) " + String.join(", ", r.retired()));
    }
    printSnapshot(out, r.summary(), r.snapshotDir());
  }

  /** Prints a job's summary and where its snapshot went (the last line scripts look for). */
  static void printSnapshot(PrintWriter out, String summary, String snapshotDir) {
    out.println(summary);
    io.gristmill.jobs.report.Reports.where(snapshotDir, io.gristmill.jobs.HadoopConfs.beforeSpark())
        .ifPresent(html -> out.println("Report written to: " + html));
    out.println("Snapshot written to: " + snapshotDir);
    out.flush();
  }

  /** Binds the config with overrides; {@code --output} becomes {@code output_root}. */
  static CurateConfig load(JobOptions o) {
    List<String> overrides = new ArrayList<>(o.overrides());
    if (o.output() != null) {
      overrides.add("output_root=" + o.output());
    }
    CurateConfig cfg = ConfigLoader.load(o.config(), CurateConfig.class, overrides);
    io.gristmill.curation.ingest.SourceConfig.checkNames(
        o.config().toString(),
        cfg.sources(),
        java.util.Map.of(
            "exact_dedup.source_priority",
            cfg.exactDedup().sourcePriority(),
            "near_dedup.representative.source_priority",
            cfg.nearDedup() == null
                ? List.of()
                : cfg.nearDedup().representative().sourcePriority()));
    return cfg;
  }
}
