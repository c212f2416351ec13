package io.gristmill.jobs.cli;

import io.gristmill.core.snapshot.SnapshotDiff;
import io.gristmill.core.snapshot.SnapshotStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gristmill snapshots diff ROOT/DATASET A B}: what changed between two snapshots. */
@Command(
    name = "snapshots",
    mixinStandardHelpOptions = true,
    description = "Work with a dataset's snapshots.",
    subcommands = {SnapshotsCommand.Diff.class})
final class SnapshotsCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "Missing a subcommand, e.g. diff");
  }

  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description =
          "Rows added and removed from snapshot A to snapshot B: kept rows per source, rejected"
              + " rows per source and reason.")
  static final class Diff implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATASET", description = "ROOT/<dataset>")
    String datasetDir;

    @Parameters(index = "1", paramLabel = "A", description = "the older snapshot id")
    String from;

    @Parameters(
        index = "2",
        paramLabel = "B",
        description = "the newer snapshot id, or LATEST (the default)",
        defaultValue = "LATEST")
    String to;

    @Option(
        names = "--master",
        paramLabel = "URL",
        description = "Spark master (default local[*]).")
    String master;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      SnapshotStore store =
          new SnapshotStore(new Path(datasetDir), io.gristmill.jobs.HadoopConfs.beforeSpark());
      String b = to.equals("LATEST") ? store.requireLatest() : to;
      String a = from.equals("LATEST") ? store.requireLatest() : from;
      store.readManifest(a);
      store.readManifest(b);
      RunSummary.put("dataset", datasetDir);
      SnapshotDiff d =
          JobOptions.withSpark(
              "snapshots diff", master, spark -> SnapshotDiff.of(spark, store, a, b));
      RunSummary.put("kept_added", d.keptAdded());
      RunSummary.put("kept_removed", d.keptRemoved());
      RunSummary.put("rejected_added", d.rejectedAdded());
      RunSummary.put("rejected_removed", d.rejectedRemoved());
      PrintWriter out = spec.commandLine().getOut();
      out.print(d.render());
      out.flush();
      return 0;
    }
  }
}
