package io.gristmill.core.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.testing.SparkTestBase;
import org.junit.jupiter.api.Test;

class ProgressTest extends SparkTestBase {
  @Test
  void itemProgressCountsWhatExecutorsAddAndGivesRateAndEta() {
    try (Progress p = Progress.ofItems(spark, "rollout", "prompts", 1000)) {
      org.apache.spark.util.LongAccumulator acc = p.accumulator();
      spark
          .range(0, 250, 1, 4)
          .foreach((org.apache.spark.api.java.function.ForeachFunction<Long>) x -> acc.add(1));
      String line = p.line();
      assertThat(line).startsWith("rollout: 250/1000 prompts (").contains("/s, ").contains("ETA");
    }
  }

  @Test
  void taskProgressCountsFinishedSparkTasks() throws InterruptedException {
    try (Progress p = Progress.ofSparkTasks(spark, "stage test")) {
      spark.range(0, 100, 1, 5).count();
      // listener events are delivered asynchronously; wait briefly for the bus to drain
      long deadline = System.currentTimeMillis() + 5000;
      while (!p.line().startsWith("stage test: 6/") && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(p.line()).matches("stage test: \\d+/\\d+ tasks .*");
      assertThat(p.line()).doesNotStartWith("stage test: 0/");
    }
  }
}
