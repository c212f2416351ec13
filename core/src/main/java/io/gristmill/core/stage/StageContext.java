package io.gristmill.core.stage;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * What a run gives every stage: the Spark session, the Hadoop conf it reads and writes with, and
 * the snapshot this run builds on (nightly refresh), if any.
 *
 * @param prior the earlier snapshot whose kept rows and saved state new rows are checked against,
 *     or null for a full run
 */
public record StageContext(SparkSession spark, Configuration hadoop, PriorSnapshot prior) {
  public static StageContext of(SparkSession spark, PriorSnapshot prior) {
    return new StageContext(spark, spark.sparkContext().hadoopConfiguration(), prior);
  }

  public boolean hasPrior() {
    return prior != null;
  }
}
