package io.gristmill.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the job's Spark session. Under {@code spark-submit} the submitted master and settings
 * win; from the launcher the embedded {@code local[*]} Spark is used unless {@code --master} says
 * otherwise.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(String appName, String masterOption) {
    SparkConf conf = new SparkConf(true);
    String master =
        masterOption != null ? masterOption : conf.contains("spark.master") ? null : "local[*]";
    SparkSession.Builder b = SparkSession.builder().appName("gristmill " + appName);
    if (master != null) {
      b.master(master);
    }
    String effectiveMaster = master != null ? master : conf.get("spark.master", "");
    if (effectiveMaster.startsWith("local") && !conf.contains("spark.sql.shuffle.partitions")) {
      // Spark's default of 200 shuffle partitions is tuned for clusters; on one machine a few per
      // core keeps small and mid-size runs from drowning in tasks.
      int cores = Runtime.getRuntime().availableProcessors();
      b.config("spark.sql.shuffle.partitions", String.valueOf(Math.max(4, 4 * cores)));
    }
    if (!conf.contains("spark.ui.showConsoleProgress")) {
      b.config("spark.ui.showConsoleProgress", "false");
    }
    if (!conf.contains("spark.sql.session.timeZone")) {
      b.config("spark.sql.session.timeZone", "UTC");
    }
    if (!conf.contains("spark.sql.maxPlanStringLength")) {
      // Adaptive execution re-renders the whole query plan as a string on every plan update; the
      // pipeline's deep plans (persisted stages feeding aggregations) made that a third of a small
      // run's wall time. A bounded string keeps the UI readable and the driver busy with work.
      b.config("spark.sql.maxPlanStringLength", "20000");
    }
    String offline = "-Dai.djl.offline=true";
    String execOpts = conf.get("spark.executor.extraJavaOptions", "");
    if (!execOpts.contains("ai.djl.offline")) {
      b.config("spark.executor.extraJavaOptions", (execOpts + " " + offline).trim());
    }
    System.setProperty("ai.djl.offline", "true");
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
