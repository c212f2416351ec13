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

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.Errors;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.snapshot.Json;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.core.snapshot.SnapshotWriter;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.stage.Progress;
import io.gristmill.core.stage.StageReport;
import io.gristmill.scoring.ScoringReason;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
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
 *   <li>{@link #select}: loads the model, predicts every {@code pool} prompt, and publishes the m
 *       prompts nearest {@code target} (ties by prompt id) as a {@code selection} snapshot: the
 *       pool's whole rows plus {@code predicted_pass_rate}, a valid input of {@code rollout}.
 * </ul>
 */
public final class ValueModelJob {
  static final String PREDICTION = "predicted";

  /** The dataset select publishes to under an output root when select_output is absent. */
  public static final String SELECT_DATASET = "selection";

  static final String SELECT_JOB = "value-model select";
  static final String SELECT_STAGE = "value_model_select";
  static final Set<DatasetKind> TRAIN_KINDS = Set.of(DatasetKind.SCORED_ROLLOUT);
  static final Set<DatasetKind> POOL_KINDS =
      Set.of(DatasetKind.PROMPT_SET, DatasetKind.CONVERSATION);
  private static final long MIN_TRAIN_ROWS = 10;

  private ValueModelJob() {}

  @SuppressWarnings("try") // progress lines while the body runs
  public static ValueModelReport train(SparkSession spark, ValueModelConfig cfg) {
    checkInput(cfg, "train", spark.sparkContext().hadoopConfiguration());
    PromptTable t = required(cfg.train(), "train");
    Dataset<Row> all = PromptTables.read(spark, t, true).cache();
    try (Progress ignored = Progress.ofSparkTasks(spark, "value-model train")) {
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
    checkInput(cfg, "evaluate", spark.sparkContext().hadoopConfiguration());
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

  /** A dry run when {@code select_output} is absent: picks and reports, writes nothing. */
  public static SelectionReport select(SparkSession spark, ValueModelConfig cfg) {
    return select(spark, cfg, null);
  }

  /**
   * Picks the m pool prompts predicted nearest {@code target} and publishes them as a {@code
   * selection} snapshot: to {@code select_output} (a dataset folder) when set, else to {@code
   * outputRoot/selection}; with neither, writes nothing. Each picked row is the pool's whole row as
   * a conversation (id, messages, ground_truth, data_source, lineage) plus {@code
   * predicted_pass_rate}, so {@code gristmill rollout} reads the selection directly.
   *
   * @param outputRoot the command's output root, or null
   */
  @SuppressWarnings("try") // progress lines while the body runs
  public static SelectionReport select(
      SparkSession spark, ValueModelConfig cfg, String outputRoot) {
    checkInput(cfg, "select", spark.sparkContext().hadoopConfiguration());
    PipelineModel model = load(spark, cfg);
    PromptTable poolTable = required(cfg.pool(), "pool");
    long t0 = System.nanoTime();
    boolean labelled = poolTable.labelExpr() != null && hasLabel(spark, poolTable);
    Dataset<Row> all = PromptTables.readAll(spark, poolTable, labelled).cache();
    Dataset<Row> picked = null;
    try (Progress ignored = Progress.ofSparkTasks(spark, "value-model select")) {
      Dataset<Row> pool = all.where(col(PromptTables.TEXT).isNotNull());
      picked = pick(predict(model, pool, cfg), cfg.target(), cfg.m()).cache();
      Row r =
          picked
              .agg(
                  count("*"),
                  avg(col(PREDICTION)),
                  max(abs(col(PREDICTION).minus(cfg.target()))),
                  avg(col("label")))
              .head();
      long poolRows = pool.count();
      long noText = all.count() - poolRows;
      String snapshotDir = null;
      String[] where = destination(cfg, outputRoot);
      if (where != null) {
        snapshotDir = publish(spark, cfg, where, all, picked, poolRows, noText, r.getLong(0), t0);
      }
      return new SelectionReport(
          poolRows,
          r.getLong(0),
          r.isNullAt(1) ? Double.NaN : r.getDouble(1),
          r.isNullAt(2) ? Double.NaN : r.getDouble(2),
          r.isNullAt(3) ? Double.NaN : r.getDouble(3),
          (System.nanoTime() - t0) / 1e9,
          snapshotDir);
    } finally {
      if (picked != null) {
        picked.unpersist();
      }
      all.unpersist();
    }
  }

  /** {root, dataset} of the selection snapshot, or null for a dry run. */
  static String[] destination(ValueModelConfig cfg, String outputRoot) {
    if (cfg.selectOutput() != null) {
      Path p = new Path(cfg.selectOutput());
      Path parent = p.getParent();
      String root = parent != null ? parent.toString() : outputRoot != null ? outputRoot : ".";
      return new String[] {root, p.getName()};
    }
    return outputRoot == null ? null : new String[] {outputRoot, SELECT_DATASET};
  }

  private static String publish(
      SparkSession spark,
      ValueModelConfig cfg,
      String[] where,
      Dataset<Row> all,
      Dataset<Row> picked,
      long poolRows,
      long noText,
      long selected,
      long t0) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    SnapshotWriter w =
        SnapshotWriter.begin(spark, where[0], where[1], SELECT_JOB, DatasetKind.SELECTION);
    Dataset<Row> rows =
        picked.select(col(PromptTables.ROW + ".*"), col(PREDICTION).as("predicted_pass_rate"));
    w.writeData(rows, 1, "id", "id");
    Map<String, Column> set = new LinkedHashMap<>();
    set.put(
        "detail", lit("the pool row has no prompt text (column " + cfg.pool().textColumn() + ")"));
    w.writeRejected(
        RejectedRows.of(
            all.where(col(PromptTables.TEXT).isNull()).select(col(PromptTables.ROW + ".*")),
            SELECT_STAGE,
            ScoringReason.NO_PROMPT_TEXT,
            set));
    Map<String, Long> reasons = new TreeMap<>();
    if (noText > 0) {
      reasons.put(ScoringReason.NO_PROMPT_TEXT.code(), noText);
    }
    if (poolRows - selected > 0) {
      reasons.put(ScoringReason.NOT_SELECTED.code(), poolRows - selected);
    }
    double seconds = Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
    StageReport report =
        new StageReport(SELECT_STAGE, poolRows + noText, selected, reasons, seconds);
    List<SnapshotManifest.InputFile> inputs = new ArrayList<>();
    if (!PromptTables.isGlob(cfg.pool().path())) {
      inputs.add(
          SnapshotRef.resolve(cfg.pool().path(), conf)
              .asInput("pool", conf)
              .withCounts(
                  selected,
                  poolRows + noText - selected > 0
                      ? Map.of(SELECT_STAGE, poolRows + noText - selected)
                      : Map.of()));
    }
    inputs.add(SnapshotRef.resolve(cfg.modelPath(), conf).asInput("value_model", conf));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("target", cfg.target());
    properties.put("m", cfg.m());
    properties.put("value_model", cfg.modelPath());
    List<String> details =
        List.of(
            String.format(
                Locale.ROOT,
                "selected %d of %d pool prompts nearest the predicted pass rate %.3f; the %d not"
                    + " selected stay in the pool and are not copied to rejected/",
                selected,
                poolRows,
                cfg.target(),
                poolRows - selected));
    JsonNode config = Json.mapper().valueToTree(cfg);
    return w.commit(
            new SnapshotWriter.Commit(inputs, config, List.of(report), details, properties, null))
        .snapshotDir();
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
            col(PromptTables.LABEL).as("label"),
            col(PromptTables.ROW));
  }

  /**
   * The checks that need no Spark (call before starting it) for {@code action} ({@code train},
   * {@code evaluate} or {@code select}): the tables it reads are configured and resolve; a train or
   * evaluate snapshot is a {@code scored_rollout} one (its {@code difficulty/} table is read), a
   * select pool snapshot a {@code prompt_set} or {@code conversation} one (else exit 2 naming the
   * command that writes one); evaluate and select find a trained model under {@code model_path}.
   */
  public static void checkInput(ValueModelConfig cfg, String action, Configuration conf) {
    switch (action) {
      case "train" -> {
        checkTable(required(cfg.train(), "train"), "value-model train", TRAIN_KINDS, conf);
        if (cfg.evaluate() != null) {
          checkTable(cfg.evaluate(), "value-model train", TRAIN_KINDS, conf);
        }
      }
      case "evaluate" -> {
        checkModel(cfg, conf);
        PromptTable t = cfg.evaluate() != null ? cfg.evaluate() : required(cfg.train(), "train");
        checkTable(t, "value-model evaluate", TRAIN_KINDS, conf);
      }
      case "select" -> {
        checkModel(cfg, conf);
        checkTable(required(cfg.pool(), "pool"), "value-model select", POOL_KINDS, conf);
      }
      default -> throw new IllegalArgumentException("unknown value-model action " + action);
    }
  }

  private static void checkTable(
      PromptTable t, String command, Set<DatasetKind> kinds, Configuration conf) {
    if (!PromptTables.isGlob(t.path())) {
      SnapshotRef.resolve(t.path(), conf).requireKind(command, kinds);
    }
  }

  private static void checkModel(ValueModelConfig cfg, Configuration conf) {
    Path metadata = new Path(cfg.modelPath(), "metadata");
    try {
      if (!metadata.getFileSystem(conf).exists(metadata)) {
        throw Errors.valueModelMissing(cfg.modelPath());
      }
    } catch (IOException e) {
      throw Errors.resourceFailed("value model", cfg.modelPath(), e);
    }
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
