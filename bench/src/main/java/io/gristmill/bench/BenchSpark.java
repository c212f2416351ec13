package io.gristmill.bench;

import org.apache.spark.sql.SparkSession;

/** The embedded Spark session every benchmark main runs on: local[2], loopback, no UI. */
public final class BenchSpark {
  private BenchSpark() {}

  /**
   * A local[2] session bound to 127.0.0.1 with {@code partitions} shuffle partitions and Spark's
   * log at WARN.
   */
  public static SparkSession local(String app, int partitions) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName(app)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", String.valueOf(partitions))
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.maxPlanStringLength", "20000")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
