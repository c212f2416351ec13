package io.gristmill.scoring;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.gristmill.scoring.group.Difficulty;
import io.gristmill.scoring.group.DumpWeights;
import io.gristmill.scoring.group.GroupStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Per-prompt statistics in Spark around the pure-Java cores: {@link GroupStats} per prompt group
 * (advantages, DAPO flag), {@link Difficulty} per prompt, and {@link DumpWeights} per source. Only
 * the per-source DUMP inputs (one row per data source) reach the driver.
 */
final class GroupSparkStage {
  private GroupSparkStage() {}

  /** Rows of {@link ScoringSchemas#SCORED} to {@link ScoringSchemas#GROUPED}. */
  static Dataset<Row> advantages(Dataset<Row> scored, AdvantageSpec spec) {
    int n = ScoringSchemas.SCORED.size();
    int sampleAt = ScoringSchemas.SCORED.fieldIndex("sample_index");
    int rewardAt = ScoringSchemas.SCORED.fieldIndex("reward");
    double eps = spec.eps();
    boolean sampleStd = spec.std().equals("sample");
    return scored
        .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
        .flatMapGroups(
            (FlatMapGroupsFunction<String, Row, Row>)
                (key, it) -> {
                  List<Row> group = new ArrayList<>();
                  it.forEachRemaining(group::add);
                  group.sort(Comparator.comparingInt(r -> r.getInt(sampleAt)));
                  double[] rewards = new double[group.size()];
                  for (int i = 0; i < rewards.length; i++) {
                    rewards[i] = group.get(i).getDouble(rewardAt);
                  }
                  GroupStats s = GroupStats.of(rewards, eps, sampleStd);
                  List<Row> out = new ArrayList<>(group.size());
                  for (int i = 0; i < rewards.length; i++) {
                    Object[] v = new Object[n + 6];
                    for (int c = 0; c < n; c++) {
                      v[c] = group.get(i).get(c);
                    }
                    v[n] = s.count();
                    v[n + 1] = s.mean();
                    v[n + 2] = s.std();
                    v[n + 3] = s.grpo()[i];
                    v[n + 4] = s.drGrpo()[i];
                    v[n + 5] = !s.allEqual();
                    out.add(RowFactory.create(v));
                  }
                  return out.iterator();
                },
            Encoders.row(ScoringSchemas.GROUPED));
  }

  /** One row of {@link ScoringSchemas#DIFFICULTY} per prompt. */
  static Dataset<Row> difficulty(Dataset<Row> grouped, DifficultySpec spec) {
    double z = spec.z();
    double hard = spec.tooHardAtMost();
    double easy = spec.tooEasyAtLeast();
    return grouped
        .groupBy("prompt_id")
        .agg(
            min("data_source").as("data_source"),
            min("prompt").as("prompt"),
            count("*").cast("int").as("samples"),
            sum(when(col("correct"), 1).otherwise(0)).cast("int").as("correct"),
            avg("reward").as("mean_reward"))
        .map(
            (MapFunction<Row, Row>)
                r -> {
                  Difficulty d = Difficulty.of(r.getInt(3), r.getInt(4), z, hard, easy);
                  return RowFactory.create(
                      r.getString(0),
                      r.getString(1),
                      r.getString(2),
                      d.samples(),
                      d.correct(),
                      d.passRate(),
                      d.wilsonLow(),
                      d.wilsonHigh(),
                      d.bucket(),
                      r.getDouble(5));
                },
            Encoders.row(ScoringSchemas.DIFFICULTY));
  }

  /** One row of {@link ScoringSchemas#DUMP} per data source. */
  static Dataset<Row> dumpWeights(SparkSession spark, Dataset<Row> grouped, DumpSpec spec) {
    String adv = spec.advantage().equals("grpo") ? "grpo_advantage" : "dr_grpo_advantage";
    var latestFirst =
        Window.partitionBy("data_source")
            .orderBy(
                col("step").desc_nulls_last(), col("prompt_id").desc(), col("sample_index").desc());
    Dataset<Row> windowed =
        grouped
            .select(
                col("data_source"), col("step"), col("prompt_id"), col("sample_index"), col(adv))
            .withColumn("rank", row_number().over(latestFirst))
            .withColumn("seen", count("*").over(Window.partitionBy("data_source")));
    List<Row> perSource =
        windowed
            .where(col("rank").leq(spec.window()))
            .groupBy("data_source")
            .agg(avg(abs(col(adv))).as("m"), min("seen").as("seen"))
            .orderBy("data_source")
            .collectAsList();
    List<DumpWeights.SourceStat> stats = new ArrayList<>();
    for (Row r : perSource) {
      stats.add(new DumpWeights.SourceStat(r.getString(0), r.getDouble(1), r.getLong(2)));
    }
    List<Row> rows = new ArrayList<>();
    for (DumpWeights.Weight w : DumpWeights.compute(stats, spec.c(), spec.tau())) {
      rows.add(RowFactory.create(w.source(), w.meanAbsAdvantage(), w.seen(), w.ucb(), w.weight()));
    }
    return spark.createDataFrame(rows, ScoringSchemas.DUMP);
  }
}
