package io.gristmill.jobs.cli;

import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigKeys;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gristmill} command and its subcommands. */
@Command(
    name = "gristmill",
    mixinStandardHelpOptions = true,
    versionProvider = GristmillCli.Version.class,
    description = "Spark jobs that turn raw post-training data into curated mixtures and shards.",
    subcommands = {
      CurateCommand.class,
      InspectCommand.class,
      GenerateCommand.class,
      RolloutCommand.class,
      RefreshCommand.class,
      ExportCommand.class,
      ScoreCommand.class,
      ValueModelCommand.class,
      ClassifierCommand.class,
      SnapshotsCommand.class,
      ReportCommand.class,
      ShowCommand.class
    })
public final class GristmillCli implements Runnable {
  /** The config record each job command binds, for its own help footer. */
  private static final Map<String, Class<?>> CONFIGS =
      Map.of(
          "curate", io.gristmill.jobs.curate.CurateConfig.class,
          "refresh", io.gristmill.jobs.curate.CurateConfig.class,
          "rollout", io.gristmill.rollout.spark.RolloutConfig.class,
          "score", io.gristmill.scoring.ScoreConfig.class,
          "value-model", io.gristmill.scoring.value.ValueModelConfig.class,
          "export", io.gristmill.bridge.export.ExportConfig.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command, e.g. curate");
  }

  /** A command line whose errors print one clear message and map to documented exit codes. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new GristmillCli());
    cl.setExecutionExceptionHandler(GristmillCli::handle);
    cl.setExecutionStrategy(GristmillCli::executeWithSummary);
    CONFIGS.forEach(
        (name, config) ->
            cl.getSubcommands()
                .get(name)
                .getCommandSpec()
                .usageMessage()
                .footer(
                    "%nConfig keys of "
                        + name
                        + " (YAML in --config; override with --set KEY=VALUE):",
                    ConfigKeys.helpBlock(config)));
    return cl;
  }

  /** Runs the command, then writes its {@link RunSummary} line (help and version excepted). */
  private static int executeWithSummary(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    if (last != parsed && !last.isUsageHelpRequested() && !last.isVersionHelpRequested()) {
      RunSummary.begin(last.commandSpec().qualifiedName(" ").replaceFirst("^gristmill ", ""));
    }
    int code = new CommandLine.RunLast().execute(parsed);
    RunSummary.emit(parsed.commandSpec().commandLine().getErr(), code, null);
    return code;
  }

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    GristmillException ge = find(e);
    if (ge == null) {
      // A failure of the environment deep inside Spark (e.g. disk full) has a documented code.
      ge = io.gristmill.core.Errors.fromEnvironment(e, "output", "the output root");
    }
    if (ge != null) {
      err.println("gristmill: " + ge.getMessage());
      err.flush();
      RunSummary.emit(err, ge.kind().exitCode(), ge.getMessage());
      return ge.kind().exitCode();
    }
    err.println("gristmill: internal error: " + e);
    e.printStackTrace(err);
    err.flush();
    RunSummary.emit(err, GristmillException.Kind.INTERNAL.exitCode(), "internal error: " + e);
    return GristmillException.Kind.INTERNAL.exitCode();
  }

  private static GristmillException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof GristmillException ge) {
        return ge;
      }
    }
    return null;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"gristmill " + io.gristmill.core.snapshot.CodeVersion.get()};
    }
  }
}
