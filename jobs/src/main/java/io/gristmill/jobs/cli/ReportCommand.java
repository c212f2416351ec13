package io.gristmill.jobs.cli;

import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.jobs.report.Reports;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gristmill report SNAPSHOT [--out DIR]}: (re)writes the report of a committed snapshot,
 * e.g. one written before jobs wrote reports. {@code curate} and {@code refresh} write it anyway.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write a snapshot's report (report.html with charts, report.json with the same numbers).")
final class ReportCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "SNAPSHOT",
      description = "A dataset folder (its LATEST snapshot), or a snapshot folder.")
  String snapshot;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where to write report.html and report.json (default: the snapshot folder).")
  String out;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
  String master;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    SnapshotRef ref = SnapshotRef.resolve(snapshot, io.gristmill.jobs.HadoopConfs.beforeSpark());
    Reports.Written w =
        JobOptions.withSpark(
            "report " + snapshot, master, spark -> Reports.writeFor(spark, ref, out));
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        "Report of %s: %d rows read, %d kept, %d rejected%n",
        ref.snapshotDir(),
        w.numbers().totals().rowsRead(),
        w.numbers().totals().rowsKept(),
        w.numbers().totals().rowsRejected());
    o.println("Numbers written to: " + w.json());
    o.println("Report written to: " + w.html());
    o.flush();
    return 0;
  }
}
