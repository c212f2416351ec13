package io.gristmill.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_json;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Reason;
import io.gristmill.core.snapshot.Json;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.StageReport;
import io.gristmill.core.stage.SummaryTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code gristmill score}: reads rollouts, scores them, computes group advantages, difficulty and
 * DUMP weights, and writes one snapshot:
 *
 * <pre>
 * ROOT/DATASET/snapshots/ID/data/          scored rollouts (ScoringSchemas.SCORED + GROUP_COLUMNS),
 *                                          sorted by prompt_id, sample_index
 * ROOT/DATASET/snapshots/ID/difficulty/    one row per prompt (ScoringSchemas.DIFFICULTY)
 * ROOT/DATASET/snapshots/ID/dump_weights/  one row per data source (ScoringSchemas.DUMP)
 * ROOT/DATASET/snapshots/ID/rejected/      core REJECTED schema: unparseable lines, sources
 *                                          without a reward, DAPO-dropped groups (dapo: drop)
 * </pre>
 */
public final class ScoreJob {
  static final String STAGE_INPUT = "score_input";
  static final String STAGE_REWARD = "score_reward";
  static final String STAGE_GROUP = "group_stats";
  private static final Column REWARD_REJECT =
      org.apache.spark.sql.functions.coalesce(
          col("reject_detail").startsWith("no reward function"), lit(false));

  private ScoreJob() {}

  public static ScoreSummary run(SparkSession spark, ScoreConfig cfg, String outputRoot) {
    long t0 = System.nanoTime();
    SnapshotStore store =
        new SnapshotStore(outputRoot, cfg.dataset(), spark.sparkContext().hadoopConfiguration());
    String id = SnapshotStore.newSnapshotId(Instant.now());
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      Dataset<Row> parsed = RolloutReader.read(spark, cfg.input());
      Dataset<Row> scoredAll =
          keep(ScoringSparkStage.score(parsed, cfg.rewards(), cfg.limits()), cached);
      Column rejected = col("reject_reason").isNotNull();
      long tIn = System.nanoTime();
      Map<String, Long> inputRejects = new TreeMap<>();
      Map<String, Long> rewardRejects = new TreeMap<>();
      long rowsTotal = countByStage(scoredAll, inputRejects, rewardRejects);
      long inputRejected = sum(inputRejects);
      StageReport inputStage =
          new StageReport(
              STAGE_INPUT, rowsTotal, rowsTotal - inputRejected, inputRejects, secs(t0, tIn));
      long scoredIn = rowsTotal - inputRejected;
      long rewardRejected = sum(rewardRejects);
      StageReport rewardStage =
          new StageReport(
              STAGE_REWARD,
              scoredIn,
              scoredIn - rewardRejected,
              rewardRejects,
              secs(tIn, System.nanoTime()));

      long tG = System.nanoTime();
      Dataset<Row> scored =
          scoredAll.where(not(rejected)).select(cols(ScoringSchemas.SCORED.fieldNames()));
      Dataset<Row> grouped = keep(GroupSparkStage.advantages(scored, cfg.advantage()), cached);
      long scoredRows = scoredIn - rewardRejected;
      boolean drop = cfg.advantage().dapo().equals("drop");
      Dataset<Row> allEqual = grouped.where(not(col("dapo_keep")));
      long allEqualRows = allEqual.count();
      Dataset<Row> data = drop ? grouped.where(col("dapo_keep")) : grouped;
      StageReport groupStage =
          new StageReport(
              STAGE_GROUP,
              scoredRows,
              drop ? scoredRows - allEqualRows : scoredRows,
              drop && allEqualRows > 0 ? Map.of(Reason.FILTERED.code(), allEqualRows) : Map.of(),
              secs(tG, System.nanoTime()));

      data.orderBy("prompt_id", "sample_index").write().parquet(store.dataDir(id).toString());
      Dataset<Row> difficulty = keep(GroupSparkStage.difficulty(grouped, cfg.difficulty()), cached);
      difficulty.orderBy("prompt_id").write().parquet(store.outputDir(id, "difficulty").toString());
      Dataset<Row> dump = GroupSparkStage.dumpWeights(spark, grouped, cfg.dump());
      dump.coalesce(1).write().parquet(store.outputDir(id, "dump_weights").toString());
      Dataset<Row> rejectedRows = toRejected(scoredAll.where(rejected), cfg);
      if (drop) {
        rejectedRows = rejectedRows.unionByName(dapoRejected(allEqual));
      }
      rejectedRows
          .orderBy("stage", "file", "line", "id")
          .write()
          .parquet(store.rejectedDir(id).toString());

      Map<String, Double> numbers = KeyNumbers.of(grouped, difficulty, allEqualRows, scoredRows);
      List<StageReport> stages = List.of(inputStage, rewardStage, groupStage);
      String summary = SummaryTable.render(stages) + KeyNumbers.render(numbers);
      Map<String, Long> outputs = new TreeMap<>();
      outputs.put("data", drop ? scoredRows - allEqualRows : scoredRows);
      outputs.put("difficulty", numbers.getOrDefault("prompts", 0.0).longValue());
      outputs.put("dump_weights", numbers.getOrDefault("data_sources", 0.0).longValue());
      outputs.put("rejected", inputRejected + rewardRejected + (drop ? allEqualRows : 0));
      JsonNode config = Json.mapper().valueToTree(cfg);
      SnapshotManifest manifest =
          new SnapshotManifest(
              SnapshotManifest.FORMAT_VERSION,
              cfg.dataset(),
              id,
              "score",
              Instant.now().toString(),
              ScoreJob.class.getPackage().getImplementationVersion(),
              List.of(
                  new SnapshotManifest.InputFile(
                      cfg.input().dataSource(),
                      cfg.input().path(),
                      -1,
                      null,
                      rowsTotal,
                      rowsTotal - inputRejected,
                      inputRejected)),
              config,
              stages,
              outputs,
              null,
              secs(t0, System.nanoTime()));
      store.commit(manifest, summary);
      return new ScoreSummary(id, store.snapshotDir(id).toString(), stages, numbers);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  private static Dataset<Row> keep(Dataset<Row> df, List<Dataset<Row>> cached) {
    Dataset<Row> p = df.persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(p);
    return p;
  }

  /**
   * One pass over the scored rows: fills rejections per reason of the input and reward stages and
   * returns the number of rows.
   */
  private static long countByStage(
      Dataset<Row> scoredAll, Map<String, Long> input, Map<String, Long> reward) {
    long total = 0;
    for (Row r :
        scoredAll.groupBy(col("reject_reason"), REWARD_REJECT.as("r")).count().collectAsList()) {
      total += r.getLong(2);
      if (!r.isNullAt(0)) {
        (r.getBoolean(1) ? reward : input).merge(r.getString(0), r.getLong(2), Long::sum);
      }
    }
    return total;
  }

  private static Dataset<Row> toRejected(Dataset<Row> rows, ScoreConfig cfg) {
    Column stage =
        org.apache
            .spark
            .sql
            .functions
            .when(col("reject_detail").startsWith("no reward function"), lit(STAGE_REWARD))
            .otherwise(lit(STAGE_INPUT));
    Column id =
        org.apache
            .spark
            .sql
            .functions
            .when(col("prompt_id").equalTo(""), lit(null))
            .otherwise(col("prompt_id"));
    return rows.select(
        stage.as("stage"),
        col("reject_reason").as("reason"),
        col("data_source").as("source"),
        col("file"),
        col("line"),
        id.as("original_id"),
        id.as("id"),
        lit(null).cast(SparkSchemas.MESSAGES).as("messages"),
        org.apache
            .spark
            .sql
            .functions
            .when(
                id.isNotNull(),
                to_json(
                    org.apache.spark.sql.functions.struct(col("sample_index"), col("generator"))))
            .as("metadata"),
        col("excerpt"),
        col("reject_detail").as("detail"),
        lit(null).cast("string").as("duplicate_of"),
        lit(null).cast("string").as("duplicate_of_original_id"),
        lit(null).cast("double").as("similarity"));
  }

  private static Dataset<Row> dapoRejected(Dataset<Row> allEqual) {
    return allEqual.select(
        lit(STAGE_GROUP).as("stage"),
        lit(Reason.FILTERED.code()).as("reason"),
        col("data_source").as("source"),
        lit(null).cast("string").as("file"),
        lit(0L).as("line"),
        col("prompt_id").as("original_id"),
        col("prompt_id").as("id"),
        lit(null).cast(SparkSchemas.MESSAGES).as("messages"),
        to_json(org.apache.spark.sql.functions.struct(col("sample_index"), col("reward")))
            .as("metadata"),
        org.apache.spark.sql.functions.substring(col("response"), 1, 200).as("excerpt"),
        org.apache
            .spark
            .sql
            .functions
            .format_string(
                "dapo: all %d rewards of the group equal %s", col("group_size"), col("group_mean"))
            .as("detail"),
        lit(null).cast("string").as("duplicate_of"),
        lit(null).cast("string").as("duplicate_of_original_id"),
        lit(null).cast("double").as("similarity"));
  }

  private static Column[] cols(String[] names) {
    return Arrays.stream(names).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  private static long sum(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  private static double secs(long from, long to) {
    return Math.round((to - from) / 1e8) / 10.0;
  }
}
