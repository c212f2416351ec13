package io.gristmill.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

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
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code gristmill score}: reads rollouts (a rollout snapshot, which needs no other file, or
 * imported rollouts), scores them, computes group advantages, difficulty and DUMP weights, and
 * publishes one {@code scored_rollout} snapshot through the core {@link SnapshotWriter}:
 *
 * <pre>
 * ROOT/DATASET/snapshots/ID/data/          scored rollouts (ScoringSchemas.DATA_COLUMNS: the
 *                                          scored_rollout contract, with `advantage` the configured
 *                                          variant), placed by prompt_id, sorted by prompt_id and
 *                                          sample_index
 * ROOT/DATASET/snapshots/ID/difficulty/    one row per prompt (the difficulty kind)
 * ROOT/DATASET/snapshots/ID/dump_weights/  one row per data source (ScoringSchemas.DUMP)
 * ROOT/DATASET/snapshots/ID/rejected/      core REJECTED rows: unparseable lines, sources without
 *                                          a reward, DAPO-dropped groups (dapo: drop)
 * </pre>
 *
 * The manifest's properties name {@code advantage_variant}.
 */
public final class ScoreJob {
  static final String STAGE_INPUT = "score_input";
  static final String STAGE_REWARD = "score_reward";
  static final String STAGE_GROUP = "group_stats";

  /** The dataset kinds score reads (plain tables, i.e. imported rollouts, pass too). */
  public static final Set<DatasetKind> ACCEPTS = Set.of(DatasetKind.ROLLOUT);

  private static final long ROWS_PER_FILE = 100_000;
  private static final Column REWARD_REJECT =
      org.apache.spark.sql.functions.coalesce(
          col("reject_reason").equalTo(ScoringReason.NO_REWARD_FUNCTION.code()), lit(false));

  private ScoreJob() {}

  /**
   * The checks that need no Spark (call before starting it): the input resolves (a glob must match
   * a file) and, when it is a snapshot, is a rollout snapshot (else exit 2 naming {@code gristmill
   * rollout}); {@code ground_truth_path}, when set, exists.
   *
   * @return the resolved input, or null for a glob of JSON-lines files
   */
  public static SnapshotRef checkInput(ScoreConfig cfg, Configuration conf) {
    ScoreInput in = cfg.input();
    SnapshotRef ref = null;
    if (isGlob(in.path())) {
      globbed(in.path(), conf);
    } else {
      ref = SnapshotRef.resolve(in.path(), conf).requireKind("score", ACCEPTS);
    }
    if (in.groundTruthPath() != null) {
      SnapshotRef.resolve(in.groundTruthPath(), conf);
    }
    return ref;
  }

  @SuppressWarnings("try") // progress lines while the body runs
  public static ScoreSummary run(SparkSession spark, ScoreConfig cfg, String outputRoot) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    SnapshotRef ref = checkInput(cfg, conf);
    long t0 = System.nanoTime();
    List<Dataset<Row>> cached = new ArrayList<>();
    try (Progress ignored = Progress.ofSparkTasks(spark, "score")) {
      SnapshotWriter w =
          SnapshotWriter.begin(
              spark, outputRoot, cfg.dataset(), "score", DatasetKind.SCORED_ROLLOUT);
      Dataset<Row> parsed = RolloutReader.read(spark, cfg.input(), ref);
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
      long dataRows = drop ? scoredRows - allEqualRows : scoredRows;
      StageReport groupStage =
          new StageReport(
              STAGE_GROUP,
              scoredRows,
              dataRows,
              drop && allEqualRows > 0
                  ? Map.of(ScoringReason.DAPO_ALL_EQUAL.code(), allEqualRows)
                  : Map.of(),
              secs(tG, System.nanoTime()));

      Dataset<Row> data =
          (drop ? grouped.where(col("dapo_keep")) : grouped)
              .withColumn("advantage", col(cfg.advantage().column()))
              .select(cols(ScoringSchemas.DATA_COLUMNS.toArray(String[]::new)));
      int files = (int) Math.max(1, Math.min(1024, (dataRows + ROWS_PER_FILE - 1) / ROWS_PER_FILE));
      w.writeData(data, files, "prompt_id", "prompt_id", "sample_index", "response");
      Dataset<Row> difficulty = keep(GroupSparkStage.difficulty(grouped, cfg.difficulty()), cached);
      w.writeOutput("difficulty", difficulty, DatasetKind.DIFFICULTY, 1, "prompt_id", "prompt_id");
      Dataset<Row> dump = GroupSparkStage.dumpWeights(spark, grouped, cfg.dump());
      w.writeOutput("dump_weights", dump, null, 1, "data_source", "data_source");
      Dataset<Row> rejectedRows =
          rejected(scoredAll.where(rejected.and(not(REWARD_REJECT))), STAGE_INPUT)
              .unionByName(rejected(scoredAll.where(REWARD_REJECT), STAGE_REWARD));
      if (drop) {
        rejectedRows = rejectedRows.unionByName(dapoRejected(allEqual));
      }
      w.writeRejected(rejectedRows);

      Map<String, Double> numbers = KeyNumbers.of(grouped, difficulty, allEqualRows, scoredRows);
      List<StageReport> stages = List.of(inputStage, rewardStage, groupStage);
      Map<String, Long> byStage = new TreeMap<>();
      putIfPositive(byStage, STAGE_INPUT, inputRejected);
      putIfPositive(byStage, STAGE_REWARD, rewardRejected);
      putIfPositive(byStage, STAGE_GROUP, drop ? allEqualRows : 0);
      List<SnapshotManifest.InputFile> inputs = new ArrayList<>();
      inputs.add(describe(cfg.input().path(), ref, conf).withCounts(dataRows, byStage));
      if (cfg.input().groundTruthPath() != null) {
        inputs.add(
            SnapshotRef.resolve(cfg.input().groundTruthPath(), conf).asInput("ground_truth", conf));
      }
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("advantage_variant", cfg.advantage().variant());
      properties.put("advantage_std", cfg.advantage().std());
      properties.put("dapo", cfg.advantage().dapo());
      properties.put(
          "input_kind", ref != null && ref.isSnapshot() ? ref.kind().id() : "imported rollouts");
      JsonNode config = Json.mapper().valueToTree(cfg);
      SnapshotWriter.Published p =
          w.commit(
              new SnapshotWriter.Commit(
                  inputs, config, stages, KeyNumbers.lines(numbers), properties, null));
      return new ScoreSummary(w.id(), p.snapshotDir(), stages, numbers);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  private static void putIfPositive(Map<String, Long> m, String key, long v) {
    if (v > 0) {
      m.put(key, v);
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

  /** Rows the input or reward stage marked, as core REJECTED rows. */
  private static Dataset<Row> rejected(Dataset<Row> rows, String stage) {
    Column id = when(col("prompt_id").equalTo(""), lit(null)).otherwise(col("prompt_id"));
    Map<String, Column> set = new LinkedHashMap<>();
    set.put("source", col("data_source"));
    set.put("original_id", id);
    set.put("id", id);
    set.put(
        "metadata", when(id.isNotNull(), to_json(struct(col("sample_index"), col("generator")))));
    set.put("detail", col("reject_detail"));
    return RejectedRows.of(rows, stage, col("reject_reason"), set);
  }

  private static Dataset<Row> dapoRejected(Dataset<Row> allEqual) {
    Map<String, Column> set = new LinkedHashMap<>();
    set.put("source", col("data_source"));
    set.put("original_id", col("prompt_id"));
    set.put("id", col("prompt_id"));
    set.put("metadata", to_json(struct(col("sample_index"), col("reward"))));
    set.put("excerpt", substring(col("response"), 1, 200));
    set.put(
        "detail",
        format_string(
            "dapo: all %d rewards of the group equal %s", col("group_size"), col("group_mean")));
    return RejectedRows.of(allEqual, STAGE_GROUP, ScoringReason.DAPO_ALL_EQUAL, set);
  }

  /** The input as a manifest entry: the resolved table or snapshot, or the files a glob matched. */
  private static SnapshotManifest.InputFile describe(
      String path, SnapshotRef ref, Configuration conf) {
    if (ref != null) {
      return ref.asInput("input", conf);
    }
    FileStatus[] files = globbed(path, conf);
    Arrays.sort(files, (a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      long bytes = 0;
      for (FileStatus f : files) {
        md.update((f.getPath().getName() + ":" + f.getLen() + "\n").getBytes());
        bytes += f.getLen();
      }
      return new SnapshotManifest.InputFile(
          "input", path, bytes, HexFormat.of().formatHex(md.digest()), 0, 0, 0);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isGlob(String path) {
    return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  private static FileStatus[] globbed(String glob, Configuration conf) {
    Path p = new Path(glob);
    try {
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] files = fs.globStatus(p);
      if (files == null || files.length == 0) {
        throw Errors.inputNotFound("input", glob);
      }
      return files;
    } catch (IOException e) {
      throw Errors.inputUnreadable("input", glob, e);
    }
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
