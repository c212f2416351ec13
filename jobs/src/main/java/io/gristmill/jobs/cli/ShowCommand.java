package io.gristmill.jobs.cli;

import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.jobs.report.RowSample;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gristmill show SNAPSHOT [--where EXPR] [--n N]}: prints sample rows with their tags (the
 * first user turn, truncated, and every annotation column), in id order, for a person to look at.
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Print sample rows of a snapshot with their tags, in id order.")
final class ShowCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "SNAPSHOT",
      description =
          "A dataset folder (its LATEST snapshot), a snapshot folder or its data/ folder.")
  String snapshot;

  @Option(
      names = "--where",
      paramLabel = "EXPR",
      description =
          "A Spark SQL boolean expression over the columns, e.g. \"language = 'de' AND"
              + " has_code\" (on --rejected: e.g. \"reason LIKE 'mix_filter:%'\").")
  String where;

  @Option(
      names = "--n",
      paramLabel = "N",
      defaultValue = "10",
      description = "How many rows to print (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(
      names = "--width",
      paramLabel = "CHARS",
      defaultValue = "160",
      description =
          "Truncate the first user turn to this many characters (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--rejected", description = "Show rows of rejected/ (with stage and reason).")
  boolean rejected;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
  String master;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (n < 1) {
      throw Errors.configInvalidValue("command line", "--n", String.valueOf(n), "at least 1");
    }
    if (width < 10) {
      throw Errors.configInvalidValue(
          "command line", "--width", String.valueOf(width), "at least 10");
    }
    SnapshotRef ref = SnapshotRef.resolve(snapshot, io.gristmill.jobs.HadoopConfs.beforeSpark());
    String table = rejected ? ref.output("rejected").toString() : ref.dataPath().toString();
    String text =
        JobOptions.withSpark(
            "show " + snapshot,
            master,
            spark -> RowSample.render(spark.read().parquet(table), table, where, n, width));
    PrintWriter out = spec.commandLine().getOut();
    out.print(text);
    out.flush();
    return 0;
  }
}
