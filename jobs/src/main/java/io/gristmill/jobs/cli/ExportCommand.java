package io.gristmill.jobs.cli;

import io.gristmill.bridge.export.ExportConfig;
import io.gristmill.bridge.export.ExportJob;
import io.gristmill.bridge.export.ExportSummary;
import io.gristmill.core.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gristmill export --snapshot DIR --format F --output DIR}: Arrow shards for a trainer, or
 * HuggingFace / verl files.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Export a snapshot as Arrow shards (shards-sft, shards-rl, shards-prompts), HuggingFace"
            + " messages (hf-jsonl, hf-parquet) or verl parquet (verl).")
final class ExportCommand implements Callable<Integer> {
  @Option(
      names = "--snapshot",
      required = true,
      paramLabel = "DIR",
      description =
          "A dataset folder (its LATEST snapshot), a snapshot folder, its data/ folder, or a"
              + " Parquet folder.")
  String snapshot;

  @Option(
      names = "--format",
      required = true,
      paramLabel = "FORMAT",
      description = "shards-sft | shards-rl | shards-prompts | hf-jsonl | hf-parquet | verl")
  String format;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description =
          "Output folder: must not exist or be empty; never a dataset folder or snapshot, nor"
              + " inside one. Written to a staging folder beside it, then renamed into place.")
  String output;

  @Option(
      names = "--overwrite",
      description =
          "Replace a non-empty --output folder (e.g. an earlier export) once the new export is"
              + " complete; a dataset folder or snapshot is refused even so.")
  boolean overwrite;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Export settings (conf/export.yaml); defaults when absent.")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a key of the export config (listed at the end of this help).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
  String master;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ExportConfig cfg =
        config == null
            ? ConfigLoader.fromString("{}", "(defaults)", ExportConfig.class, overrides)
            : ConfigLoader.load(config, ExportConfig.class, overrides);
    // Input kind, tokenizer and output folder are checked before Spark starts.
    org.apache.hadoop.conf.Configuration conf = io.gristmill.jobs.HadoopConfs.beforeSpark();
    ExportJob.checkInput(snapshot, format, cfg, conf);
    ExportJob.checkOutput(output, overwrite, conf);
    ExportSummary s =
        JobOptions.withSpark(
            "export " + format,
            master,
            spark -> ExportJob.run(spark, snapshot, format, output, cfg, overwrite));
    PrintWriter out = spec.commandLine().getOut();
    out.println(s.text());
    out.println("Exported to: " + output);
    out.flush();
    return 0;
  }
}
