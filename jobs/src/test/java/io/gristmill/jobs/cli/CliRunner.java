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
}
