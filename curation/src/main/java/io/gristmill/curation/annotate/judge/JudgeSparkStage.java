package io.gristmill.curation.annotate.judge;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.stage.StageReport;
import io.gristmill.curation.annotate.AnnotationColumns;
import io.gristmill.curation.annotate.ClassifierConfig;
import io.gristmill.curation.annotate.TaskClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code judge} stage (after {@code annotate}): asks a judge model, through the rollout engine
 * in the executors, each configured aspect of every conversation and fills the aspect's column
 * ({@code input_quality}, {@code difficulty}, {@code task_category}, {@code safety}, {@code
 * judge_score}). It rejects nothing: an answer that cannot be parsed leaves the column as it was
 * (null, unless imported or classified) and names the reason in {@code null_reasons}; the details
 * count labeled rows and reasons per aspect, and the device and tokens used.
 */
public final class JudgeSparkStage implements Stage {
  public static final String STAGE = "judge";
  private static final Logger LOG = LoggerFactory.getLogger(JudgeSparkStage.class);

  private final JudgeConfig config;

  public JudgeSparkStage(JudgeConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public StageOutput apply(Dataset<Row> input, StageContext context) {
    long start = System.nanoTime();
    JudgePrompts prompts = JudgePrompts.load(config);
    Dataset<Row> base = NullReasons.modelInput(input);
    var sc = context.spark().sparkContext();
    CollectionAccumulator<String> devices = sc.collectionAccumulator("judge devices");
    LongAccumulator promptTokens = sc.longAccumulator("judge prompt tokens");
    LongAccumulator newTokens = sc.longAccumulator("judge new tokens");
    List<String> columns = config.aspectList().stream().map(JudgeAspect::column).toList();
    Column inSample = inSample(config);
    Dataset<Row> toJudge = config.sampled() ? base.where(inSample) : base;
    Dataset<Row> judged =
        toJudge
            .mapPartitions(
                new JudgePartition(
                    config, prompts, base.schema(), devices, promptTokens, newTokens),
                Encoders.row(base.schema()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    long judgedN = judged.count();
    List<String> details = new ArrayList<>();
    Dataset<Row> rows = judged;
    if (config.sampled()) {
      Dataset<Row> rest =
          base.where(not(inSample))
              .withColumn(NullReasons.COLUMN, NullReasons.setWhereNull(columns, NOT_SAMPLED));
      rows = judged.unionByName(rest);
      details.add(
          String.format(
              Locale.ROOT,
              "judge: a sample of %.4f of the rows (seed %d): %d judged",
              config.sampleFraction(),
              config.seed(),
              judgedN));
      if (config.classifyRest() && columns.contains(AnnotationColumns.TASK_CATEGORY)) {
        rows = classifyRest(rows, judged, details);
      }
      rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
    }
    long n = rows.count();
    double secs = (System.nanoTime() - start) / 1e9;
    details.add(
        String.format(
            Locale.ROOT,
            "judge: %d rows x %d aspects by %s on %s (requested %s); %d prompt tokens, %d new"
                + " tokens in %.1f s",
            judgedN,
            config.aspects().size(),
            config.model(),
            new TreeSet<>(devices.value()),
            config.device(),
            promptTokens.value(),
            newTokens.value(),
            secs));
    Map<String, Map<String, Long>> reasons = NullReasons.counts(rows, columns);
    for (JudgeAspect a : config.aspectList()) {
      Map<String, Long> why = reasons.get(a.column());
      long failed = why.values().stream().mapToLong(Long::longValue).sum();
      details.add(
          String.format(
              Locale.ROOT,
              "judge: %s: %d labeled, %d without a label %s",
              a.key(),
              n - failed,
              failed,
              why));
    }
    details.forEach(LOG::info);
    Dataset<Row> none = input.sparkSession().createDataFrame(List.of(), SparkSchemas.REJECTED);
    return StageOutput.of(rows, none, new StageReport(STAGE, n, n, Map.of(), secs))
        .withDetails(details);
  }

  /** The reason of a column left null because its row was outside the judged sample. */
  public static final String NOT_SAMPLED = "not_sampled";

  /** The share of the classifier's training groups held out to measure it against the judge. */
  static final double HOLDOUT = 0.25;

  /**
   * The rows the judge is asked about: a seeded hash of the id below the fraction, so the sample
   * does not depend on partitioning and a rerun judges the same rows.
   */
  static Column inSample(JudgeConfig cfg) {
    long buckets = 1_000_000L;
    return pmod(xxhash64(lit(cfg.seed()), col("id")), lit(buckets))
        .lt(lit(Math.round(cfg.sampleFraction() * buckets)));
  }

  /**
   * Trains the task classifier on the judged sample's labels (groups = sources) and fills {@code
   * task_category} and its confidence where they are still null; the held-out agreement with the
   * judge goes into the details. With fewer than two judge labels nothing is trained.
   */
  private static Dataset<Row> classifyRest(
      Dataset<Row> rows, Dataset<Row> judged, List<String> details) {
    String tc = AnnotationColumns.TASK_CATEGORY;
    Dataset<Row> training = TaskClassifier.trainingRows(judged, tc, "source");
    long labels =
        training
            .where(col(TaskClassifier.LABEL).isNotNull())
            .select(TaskClassifier.LABEL)
            .distinct()
            .count();
    if (labels < 2) {
      details.add(
          "judge: task_category: no classifier trained for the rows outside the sample ("
              + labels
              + " distinct judge label(s) in the sample)");
      return rows;
    }
    ClassifierConfig cc =
        new ClassifierConfig("(judge sample)", List.of(), HOLDOUT, 17L, 1 << 16, null, null, null);
    TaskClassifier.Trained t = TaskClassifier.trainOn(training, cc);
    Dataset<Row> filled = rows.where(col(tc).isNotNull());
    Dataset<Row> classified =
        TaskClassifier.apply(rows.where(col(tc).isNull()), t.model())
            .withColumn(NullReasons.COLUMN, NullReasons.clearWhereFilled(tc));
    details.add(
        String.format(
            Locale.ROOT,
            "judge: task_category of the rows outside the sample from a classifier trained on %d"
                + " judge labels %s; against the judge on %d held-out rows (sources %s): accuracy"
                + " %.3f, macro-F1 %.3f (majority label: %.3f)",
            t.trainRows().values().stream().mapToLong(Long::longValue).sum(),
            t.trainRows(),
            t.heldOut().n(),
            t.heldOutGroups(),
            t.heldOut().accuracy(),
            t.heldOut().macroF1(),
            t.heldOut().majorityAccuracy()));
    return filled.unionByName(classified);
  }
}
