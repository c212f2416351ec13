package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the CLI in-process and captures what it prints, as a user's terminal would see it. */
public final class CliRunner {
  /** Exit code, stdout and stderr of one command. */
  public record Outcome(int code, String out, String err) {}

  private CliRunner() {}

  public static Outcome execute(String... args) {
    CommandLine cl = GristmillCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  /** Runs a command that must succeed and returns its stdout. */
  public static String run(String... args) {
    Outcome o = execute(args);
    assertThat(o.code()).as("exit code of %s; stderr:%n%s", List.of(args), o.err()).isZero();
    return o.out();
  }

  /**
   * The next command of an SFT chain: {@code gristmill export --format hf-parquet} of {@code
   * snapshot} into {@code out}, read back with DuckDB; returns the rows it holds.
   */
  public static int exportHfParquetRows(java.nio.file.Path snapshot, java.nio.file.Path out)
      throws Exception {
    String export =
        run(
            "export",
            "--snapshot",
            snapshot.toString(),
            "--format",
            "hf-parquet",
            "--output",
            out.toString(),
            "--master",
            "local[2]");
    assertThat(export).contains("Exported to: ");
    return io.gristmill.core.testing.NodeReaders.run("read-parquet.mjs", out + "/**/*.parquet")
        .get("rows")
        .size();
  }
}
