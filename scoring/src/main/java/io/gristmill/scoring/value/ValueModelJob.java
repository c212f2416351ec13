package io.gristmill.scoring.value;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.Json;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code gristmill value-model train|evaluate|select}: Prompt Curriculum Learning's value model,
 * which predicts a prompt's pass rate (or any numeric label, e.g. MATH level) from the prompt
 * alone, so that prompts of intermediate difficulty can be picked from a large pool without rolling
 * them out.
 *
 * <ul>
 *   <li>{@link #train}: fits {@link ValuePipeline} on the train split of {@code train} (a seeded
 *       hash of the prompt id holds out {@code test_fraction}; of the rest, {@code
 *       calibration_fraction} fits the isotonic calibrator and the remainder the regressor),
 *       evaluates on the held-out split, saves the model and {@code metrics.json} under {@code
 *       model_path};
 *   <li>{@link #evaluate}: loads the model, evaluates on {@code evaluate} (or the held-out split);
 *   <li>{@link #select}: loads the model, predicts every {@code pool} prompt, and writes the m
 *       prompts nearest {@code target} (ties by prompt id) to {@code select_output}.
 * </ul>
 */
public final class ValueModelJob {
  static final String PREDICTION = "predicted";
  private static final long MIN_TRAIN_ROWS = 10;

  private ValueModelJob() {}

  public static ValueModelReport train(SparkSession spark, ValueModelConfig cfg) {
    PromptTable t = required(cfg.train(), "train");
    Dataset<Row> all = PromptTables.read(spark, t, true).cache();
    try {
      Dataset<Row> trainSet = all.where(heldOut(cfg).unary_$bang());
      long n = trainSet.count();
      if (n < MIN_TRAIN_ROWS) {
        throw Errors.valueModelTooFewRows(t.path(), n, MIN_TRAIN_ROWS);
      }
      long t0 = System.nanoTime();
      boolean calibrate = cfg.calibrationFraction() > 0;
      Column calib = split(cfg, 1, cfg.calibrationFraction());
      PipelineModel base =
          ValuePipeline.build(cfg.model(), t.metadataColumns(), cfg.seed())
              .fit(calibrate ? trainSet.where(calib.unary_$bang()) : trainSet);
      PipelineModel model =
          new Pipeline()
              .setStages(new PipelineStage[] {base, ValuePipeline.calibrator(calibrate)})
              .fit(calibrate ? trainSet.where(calib) : trainSet);
      double fitSeconds = (System.nanoTime() - t0) / 1e9;
      try {
        model.write().overwrite().save(cfg.modelPath());
      } catch (IOException e) {
        throw Errors.outputFailed("value model", cfg.modelPath(), e);
      }
      double trainMean = trainSet.agg(avg(col(PromptTables.LABEL))).head().getDouble(0);
      Dataset<Row> eval =
          cfg.evaluate() == null
              ? all.where(heldOut(cfg))
              : PromptTables.read(spark, cfg.evaluate(), true);
      ValueMetrics m =
          ValueMetrics.of(predict(model, eval, cfg), PREDICTION, trainMean, cfg.calibrationBins());
      ValueModelReport report = new ValueModelReport(n, m, fitSeconds);
      writeJson(spark, new Path(cfg.modelPath(), "metrics.json"), report);
      return report;
    } finally {
      all.unpersist();
    }
  }

  public static ValueModelReport evaluate(SparkSession spark, ValueModelConfig cfg) {
    PipelineModel model = load(spark, cfg);
    long t0 = System.nanoTime();
    Dataset<Row> eval;
    double trainMean;
    if (cfg.evaluate() != null) {
      eval = PromptTables.read(spark, cfg.evaluate(), true);
    } else {
      Dataset<Row> all = PromptTables.read(spark, required(cfg.train(), "train"), true);
      eval = all.where(heldOut(cfg));
    }
    Dataset<Row> scored = predict(model, eval, cfg).cache();
    try {
      trainMean = scored.agg(avg(col(PromptTables.LABEL))).head().getDouble(0);
      ValueMetrics m = ValueMetrics.of(scored, PREDICTION, trainMean, cfg.calibrationBins());
      return new ValueModelReport(0, m, (System.nanoTime() - t0) / 1e9);
    } finally {
      scored.unpersist();
    }
  }

  public static SelectionReport select(SparkSession spark, ValueModelConfig cfg) {
    PipelineModel model = load(spark, cfg);
    PromptTable poolTable = required(cfg.pool(), "pool");
    long t0 = System.nanoTime();
    boolean labelled = poolTable.labelExpr() != null && hasLabel(spark, poolTable);
    Dataset<Row> pool = PromptTables.read(spark, poolTable, labelled);
    Dataset<Row> picked = pick(predict(model, pool, cfg), cfg.target(), cfg.m()).cache();
    try {
      if (cfg.selectOutput() != null) {
        picked.write().mode("overwrite").parquet(cfg.selectOutput());
      }
      Row r =
          picked
              .agg(
                  count("*"),
                  avg(col(PREDICTION)),
                  max(abs(col(PREDICTION).minus(cfg.target()))),
                  avg(col("label")))
              .head();
      long poolRows = pool.count();
      return new SelectionReport(
          poolRows,
          r.getLong(0),
          r.isNullAt(1) ? Double.NaN : r.getDouble(1),
          r.isNullAt(2) ? Double.NaN : r.getDouble(2),
          r.isNullAt(3) ? Double.NaN : r.getDouble(3),
          (System.nanoTime() - t0) / 1e9);
    } finally {
      picked.unpersist();
    }
  }

  /** The m rows nearest the target, ties broken by id: deterministic whatever the partitioning. */
  static Dataset<Row> pick(Dataset<Row> predicted, double target, int m) {
    return predicted
        .withColumn("distance", abs(col(PREDICTION).minus(target)))
        .orderBy(col("distance"), col(PromptTables.ID))
        .limit(m)
        .select(
            col(PromptTables.ID).as("prompt_id"),
            col(PromptTables.TEXT).as("prompt"),
            col(PREDICTION),
            col("distance"),
            col(PromptTables.LABEL).as("label"));
  }

  static Dataset<Row> predict(PipelineModel model, Dataset<Row> rows, ValueModelConfig cfg) {
    Column p = col("prediction");
    return model
        .transform(rows)
        .withColumn(PREDICTION, cfg.clip() ? least(greatest(p, lit(0.0)), lit(1.0)) : p);
  }

  private static Column heldOut(ValueModelConfig cfg) {
    return split(cfg, 0, cfg.testFraction());
  }

  /** A seeded hash split of prompt ids: the same rows on every run and partitioning. */
  private static Column split(ValueModelConfig cfg, long salt, double fraction) {
    long buckets = 10_000;
    return pmod(xxhash64(col(PromptTables.ID), lit(cfg.seed() + salt)), lit(buckets))
        .lt(lit(Math.round(fraction * buckets)));
  }

  /** Whether the pool's label expression resolves (a probe: pools usually have no labels). */
  private static boolean hasLabel(SparkSession spark, PromptTable t) {
    try {
      PromptTables.read(spark, t, true).schema();
      return true;
    } catch (Exception e) {
      if (e instanceof org.apache.spark.sql.AnalysisException) {
        return false; // the label expression names columns the pool lacks: normal for a pool
      }
      throw e;
    }
  }

  private static PromptTable required(PromptTable t, String key) {
    if (t == null) {
      throw Errors.configMissingKey("value-model config", key);
    }
    return t;
  }

  private static PipelineModel load(SparkSession spark, ValueModelConfig cfg) {
    Path metadata = new Path(cfg.modelPath(), "metadata");
    try {
      if (!metadata.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(metadata)) {
        throw Errors.valueModelMissing(cfg.modelPath());
      }
    } catch (IOException e) {
      throw Errors.resourceFailed("value model", cfg.modelPath(), e);
    }
    return PipelineModel.load(cfg.modelPath());
  }

  private static void writeJson(SparkSession spark, Path target, Object value) {
    try {
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(target, true)) {
        out.write(Json.mapper().writeValueAsBytes(value));
      }
    } catch (IOException e) {
      throw Errors.outputFailed("value model metrics", target.toString(), e);
    }
  }
}
