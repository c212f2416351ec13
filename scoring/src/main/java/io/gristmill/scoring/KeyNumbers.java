package io.gristmill.scoring;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The key figures of a score run, computed by Spark aggregations (one small row each). */
final class KeyNumbers {
  private KeyNumbers() {}

  static Map<String, Double> of(
      Dataset<Row> grouped, Dataset<Row> difficulty, long allEqualRows, long scoredRows) {
    Map<String, Double> out = new TreeMap<>();
    Row g =
        grouped
            .agg(
                count("*"),
                countDistinct("prompt_id"),
                avg("reward"),
                avg(when(col("correct"), 1.0).otherwise(0.0)),
                countDistinct(when(col("dapo_keep").equalTo(false), col("prompt_id"))),
                count(col("label")),
                countDistinct("data_source"),
                sum(when(col("label").equalTo(col("correct")), 1).otherwise(0)))
            .first();
    out.put("rollouts", (double) g.getLong(0));
    out.put("prompts", (double) g.getLong(1));
    out.put("mean_reward", g.isNullAt(2) ? 0.0 : g.getDouble(2));
    out.put("accuracy", g.isNullAt(3) ? 0.0 : g.getDouble(3));
    out.put("dapo_all_equal_groups", (double) g.getLong(4));
    out.put("dapo_all_equal_rollouts", (double) allEqualRows);
    long labelled = g.getLong(5);
    out.put("data_sources", (double) g.getLong(6));
    if (labelled > 0) {
      out.put("labelled_rollouts", (double) labelled);
      out.put("label_agreement", g.getLong(7) / (double) labelled);
    }
    for (Row r : grouped.groupBy("verdict").count().collectAsList()) {
      out.put("verdict_" + r.getString(0), (double) r.getLong(1));
    }
    for (Row r : difficulty.groupBy("bucket").count().collectAsList()) {
      out.put("prompts_" + r.getString(0), (double) r.getLong(1));
    }
    return out;
  }

  /** The figures as summary lines, e.g. {@code mean_reward 0.4200}. */
  static java.util.List<String> lines(Map<String, Double> numbers) {
    java.util.List<String> out = new java.util.ArrayList<>();
    numbers.forEach(
        (k, v) ->
            out.add(
                v == Math.rint(v) && Math.abs(v) < 1e15
                    ? String.format(Locale.ROOT, "%-28s %d", k, v.longValue())
                    : String.format(Locale.ROOT, "%-28s %.4f", k, v)));
    return out;
  }
}
