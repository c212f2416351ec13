package io.gristmill.jobs;

import io.gristmill.jobs.cli.GristmillCli;

/**
 * The entry point for the {@code gristmill} launcher and for {@code spark-submit --class
 * io.gristmill.jobs.GristmillMain APP_JAR <command> ...}. Exit codes: 0 success, 1 internal error,
 * 2 bad config or usage, 3 unreadable input, 4 output failure, 5 resource (model) failure.
 */
public final class GristmillMain {
  private GristmillMain() {}

  public static void main(String[] args) {
    int code = GristmillCli.commandLine().execute(args);
    System.exit(code);
  }
}
