package io.gristmill.curation.annotate.reward;

import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.stage.StageReport;
import io.gristmill.curation.annotate.AnnotationColumns;
import io.gristmill.curation.annotate.judge.NullReasons;
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
 * The {@code reward_model} stage (after {@code annotate}, and {@code judge} when configured): a
 * reward model scores every whole conversation in the executors and fills {@code reward}. It
 * rejects nothing: a conversation it cannot score keeps its {@code reward} (null unless imported)
 * and names the reason in {@code null_reasons}; the details count scored rows and reasons.
 */
public final class RewardSparkStage implements Stage {
  public static final String STAGE = "reward_model";
  private static final Logger LOG = LoggerFactory.getLogger(RewardSparkStage.class);

  private final RewardConfig config;

  public RewardSparkStage(RewardConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public StageOutput apply(Dataset<Row> input, StageContext context) {
    long start = System.nanoTime();
    Dataset<Row> base = NullReasons.modelInput(input);
    var sc = context.spark().sparkContext();
    CollectionAccumulator<String> devices = sc.collectionAccumulator("reward devices");
    LongAccumulator tokens = sc.longAccumulator("reward tokens");
    Dataset<Row> rows =
        base.mapPartitions(
                new RewardPartition(config, base.schema(), devices, tokens),
                Encoders.row(base.schema()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    long n = rows.count();
    double secs = (System.nanoTime() - start) / 1e9;
    Map<String, Long> why =
        NullReasons.counts(rows, List.of(AnnotationColumns.REWARD)).get(AnnotationColumns.REWARD);
    long failed = why.values().stream().mapToLong(Long::longValue).sum();
    List<String> details = new ArrayList<>();
    details.add(
        String.format(
            Locale.ROOT,
            "reward_model: %d rows by %s on %s (requested %s); %d scored, %d without a reward %s;"
                + " %d tokens in %.1f s",
            n,
            config.model(),
            new TreeSet<>(devices.value()),
            config.device(),
            n - failed,
            failed,
            why,
            tokens.value(),
            secs));
    details.forEach(LOG::info);
    Dataset<Row> none = input.sparkSession().createDataFrame(List.of(), SparkSchemas.REJECTED);
    return StageOutput.of(rows, none, new StageReport(STAGE, n, n, Map.of(), secs))
        .withDetails(details);
  }
}
