package io.gristmill.curation.annotate.judge;

import static org.apache.spark.sql.functions.col;

import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.stage.StageReport;
import io.gristmill.curation.annotate.AnnotateSparkStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
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
    Dataset<Row> base = NullReasons.ensure(AnnotateSparkStage.withNullModelColumns(input));
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    for (String c : base.columns()) {
      var type = AnnotateSparkStage.MODEL_TYPES.get(c);
      cols.add(type == null ? col(c) : col(c).cast(type).as(c));
    }
    base = base.select(cols.toArray(new org.apache.spark.sql.Column[0]));
    var sc = context.spark().sparkContext();
    CollectionAccumulator<String> devices = sc.collectionAccumulator("judge devices");
    LongAccumulator promptTokens = sc.longAccumulator("judge prompt tokens");
    LongAccumulator newTokens = sc.longAccumulator("judge new tokens");
    Dataset<Row> rows =
        base.mapPartitions(
                new JudgePartition(
                    config, prompts, base.schema(), devices, promptTokens, newTokens),
                Encoders.row(base.schema()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    long n = rows.count();
    double secs = (System.nanoTime() - start) / 1e9;
    List<String> details = new ArrayList<>();
    details.add(
        String.format(
            Locale.ROOT,
            "judge: %d rows x %d aspects by %s on %s (requested %s); %d prompt tokens, %d new"
                + " tokens in %.1f s",
            n,
            config.aspects().size(),
            config.model(),
            new TreeSet<>(devices.value()),
            config.device(),
            promptTokens.value(),
            newTokens.value(),
            secs));
    List<String> columns = config.aspectList().stream().map(JudgeAspect::column).toList();
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
}
