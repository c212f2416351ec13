package io.gristmill.jobs.cli;

import io.gristmill.jobs.SparkSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every Spark job command takes. */
public final class JobOptions {
  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "YAML config (examples in conf/).")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override a key of this command's config (the keys are listed at the end of this"
              + " help); a list element by index, e.g. key[0].field=value. Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master. Default: the master spark-submit set, else local[*] (embedded Spark).")
  String master;

  @Option(
      names = "--output",
      paramLabel = "ROOT",
      description = "Output root (local path, hdfs:// or s3a://); overrides output_root.")
  String output;

  public Path config() {
    return config;
  }

  public List<String> overrides() {
    return List.copyOf(overrides);
  }

  public String master() {
    return master;
  }

  public String output() {
    return output;
  }

  /** {@code --output}, or {@code fallback} when it was not given. */
  public String outputOr(String fallback) {
    return output == null ? fallback : output;
  }

  /** Runs {@code body} on this job's Spark session (see {@link SparkSessions}), then stops it. */
  public <T> T withSpark(String appName, Function<SparkSession, T> body) {
    return withSpark(appName, master, body);
  }

  static <T> T withSpark(String appName, String master, Function<SparkSession, T> body) {
    SparkSession spark = SparkSessions.create(appName, master);
    try {
      return body.apply(spark);
    } finally {
      spark.stop();
    }
  }
}
