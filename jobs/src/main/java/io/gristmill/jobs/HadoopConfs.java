package io.gristmill.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * The Hadoop configuration a command uses before (or without) a Spark session: the default
 * resources ({@code core-site.xml} on the classpath or in {@code HADOOP_CONF_DIR}) plus every
 * {@code spark.hadoop.*} setting of the Spark configuration (from {@code spark-submit --conf} or
 * {@code -Dspark.hadoop...}), as Spark itself builds it. Without these the checks before Spark
 * opened object stores without their settings, and Hadoop's file-system cache then handed the job
 * that unconfigured file system (an {@code s3a://} run failed writing its lock).
 */
public final class HadoopConfs {
  private static final String PREFIX = "spark.hadoop.";

  private HadoopConfs() {}

  public static Configuration beforeSpark() {
    Configuration conf = new Configuration();
    for (Tuple2<String, String> e : new SparkConf(true).getAllWithPrefix(PREFIX)) {
      conf.set(e._1(), e._2(), "spark.hadoop." + e._1());
    }
    return conf;
  }
}
