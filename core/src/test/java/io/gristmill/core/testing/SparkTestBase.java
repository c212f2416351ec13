package io.gristmill.core.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One real {@code local[2]} Spark session per test class, as Iceberg's tests do. Subclasses use
 * {@link #spark}. Shuffle partitions are small so tests stay fast; UI is off.
 */
public abstract class SparkTestBase {
  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = newSession(4);
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
      spark = null;
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }

  public static SparkSession newSession(int shufflePartitions) {
    return SparkSession.builder()
        .master("local[2]")
        .appName("gristmill-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.maxPlanStringLength", "20000")
        .getOrCreate();
  }
}
