package io.gristmill.rollout.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.substring;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.Errors;
import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.core.snapshot.SnapshotWriter;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.stage.Progress;
import io.gristmill.core.stage.StageReport;
import io.gristmill.rollout.ComputeDtype;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code gristmill rollout}: checks its input's kind, reads the prompt set, runs {@link
 * RolloutSparkStage}, and publishes through the core {@link SnapshotWriter} a {@code rollout}
 * snapshot {@code OUTPUT_ROOT/<dataset>/snapshots/<id>/}: {@code data/} (rollout rows, {@link
 * RolloutRows#SCHEMA}, placed by prompt id and sorted by prompt id and sample index), {@code
 * rejected/} (stage {@code rollout}, reasons {@link RolloutReason}), a manifest whose properties
 * record {@code requested_device} and {@code devices} (how many tasks ran on each device), and a
 * summary.
 */
public final class RolloutJob {
  /** The stage name in reports and rejected rows. */
  public static final String STAGE = "rollout";

  /** The dataset kinds rollout reads. */
  public static final Set<DatasetKind> ACCEPTS =
      Set.of(DatasetKind.PROMPT_SET, DatasetKind.CONVERSATION, DatasetKind.SELECTION);

  private static final long ROWS_PER_FILE = 100_000;

  private RolloutJob() {}

  /** Where the snapshot went, its manifest, and the printed summary. */
  public record Result(String snapshotDir, SnapshotManifest manifest, String summary) {}

  /**
   * The checks that need no Spark (call before starting it): the prompts resolve (dataset folder,
   * snapshot, data folder or plain table) and, for a snapshot, are of a kind rollout reads (else
   * exit 2 naming the command that writes one); the model path exists (else exit 5).
   */
  public static SnapshotRef checkInput(RolloutConfig cfg, Configuration conf) {
    SnapshotRef ref = SnapshotRef.resolve(cfg.prompts(), conf).requireKind("rollout", ACCEPTS);
    Path model = new Path(cfg.model());
    try {
      if (!model.getFileSystem(conf).exists(model)) {
        throw Errors.modelNotFound(cfg.model());
      }
    } catch (IOException e) {
      throw Errors.resourceFailed("model", cfg.model(), e);
    }
    return ref;
  }

  public static Result run(SparkSession spark, RolloutConfig cfg, String outputRoot) {
    try {
      return runChecked(spark, cfg, outputRoot);
    } catch (Exception e) {
      throw unwrap(e);
    }
  }

  /**
   * A task's GristmillException (e.g. no GPU) reaches the driver as the cause of a SparkException
   * (which Scala throws although Java sees no checked exception): that GristmillException, else
   * {@code e} itself, rethrown unchanged.
   */
  static RuntimeException unwrap(Exception e) {
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof GristmillException g) {
        return g;
      }
    }
    return RolloutJob.<RuntimeException>rethrow(e);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Exception> T rethrow(Exception e) throws T {
    throw (T) e;
  }

  /**
   * The dtype each device ran in ({@code cpu} -> float32, {@code gpu:N} -> the requested half or
   * float32 dtype): the resolution {@link ComputeDtype#resolve} makes on the executors, which
   * depends only on the device type.
   */
  static Map<String, String> dtypes(String requested, Set<String> devices) {
    Map<String, String> out = new TreeMap<>();
    for (String d : devices) {
      out.put(d, ComputeDtype.resolve(requested, d.equals("cpu") ? Device.cpu() : Device.gpu()));
    }
    return out;
  }

  private static Result runChecked(SparkSession spark, RolloutConfig cfg, String outputRoot) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    SnapshotRef ref = checkInput(cfg, conf);
    if (cfg.device().equals("gpu") && spark.sparkContext().isLocal()) {
      // The driver JVM is the executor: fail before reading anything.
      RolloutPartition.device(cfg.device(), null, RolloutPartition::libtorchGpus);
    }
    if (cfg.device().equals("cpu")) {
      ComputeDtype.resolve(cfg.dtype(), Device.cpu()); // a half dtype on the CPU fails here
    }
    long start = System.nanoTime();
    Dataset<Row> prompts = PromptSets.read(spark, cfg, ref).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> all = null;
    try {
      long promptsIn = prompts.count();
      SnapshotWriter w =
          SnapshotWriter.begin(spark, outputRoot, cfg.dataset(), "rollout", DatasetKind.ROLLOUT);
      Map<String, Long> byReason = new TreeMap<>();
      Map<String, Long> devices = new TreeMap<>();
      String modelId = cfg.modelId();
      long samples;
      try (Progress progress = Progress.ofItems(spark, "rollout", "prompts", promptsIn)) {
        all =
            RolloutSparkStage.run(spark, prompts, cfg, progress.accumulator())
                .persist(StorageLevel.MEMORY_AND_DISK());
        for (Row r :
            RolloutSparkStage.devices(all).groupBy("text", "model_id").count().collectAsList()) {
          devices.merge(r.getString(0), r.getLong(2), Long::sum);
          modelId = modelId != null ? modelId : r.getString(1);
        }
        Dataset<Row> kept = RolloutSparkStage.kept(all);
        samples = kept.count();
        int files =
            (int) Math.max(1, Math.min(1024, (samples + ROWS_PER_FILE - 1) / ROWS_PER_FILE));
        w.writeData(kept, files, "prompt_id", "prompt_id", "sample_index");
      }
      Dataset<Row> rejectedInternal = RolloutSparkStage.rejected(all);
      for (Row r : rejectedInternal.groupBy("finish_reason").count().collectAsList()) {
        byReason.put(r.getString(0), r.getLong(1));
      }
      w.writeRejected(rejectedRows(prompts, rejectedInternal));
      long rejectedPrompts = byReason.values().stream().mapToLong(Long::longValue).sum();
      long keptPrompts = promptsIn - rejectedPrompts;
      double seconds = Math.round((System.nanoTime() - start) / 1e8) / 10.0;
      StageReport report = new StageReport(STAGE, promptsIn, keptPrompts, byReason, seconds);
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("requested_device", cfg.device());
      properties.put("devices", devices);
      properties.put("requested_dtype", cfg.dtype());
      properties.put("dtypes", dtypes(cfg.dtype(), devices.keySet()));
      properties.put("model", cfg.model());
      properties.put("model_id", modelId);
      properties.put("samples_per_prompt", cfg.generation().numSamples());
      JsonNode config = ConfigLoader.yamlMapper().valueToTree(cfg);
      SnapshotManifest.InputFile input =
          ref.asInput("prompts", conf)
              .withCounts(
                  keptPrompts, rejectedPrompts == 0 ? Map.of() : Map.of(STAGE, rejectedPrompts));
      String detail =
          String.format(
              Locale.ROOT,
              "%d samples from %d prompts (%d per prompt) on %s (requested: %s)",
              samples,
              keptPrompts,
              cfg.generation().numSamples(),
              devices.isEmpty() ? "no task" : devices,
              cfg.device());
      SnapshotWriter.Published p =
          w.commit(
              new SnapshotWriter.Commit(
                  List.of(input), config, List.of(report), List.of(detail), properties, null));
      return new Result(p.snapshotDir(), p.manifest(), p.summary());
    } finally {
      if (all != null) {
        all.unpersist();
      }
      prompts.unpersist();
    }
  }

  /**
   * The rejected prompts as core REJECTED rows: their input row's lineage (id, source, messages,
   * metadata, file, line, data_source, ground_truth) with the reason and detail of the stage.
   */
  private static Dataset<Row> rejectedRows(Dataset<Row> prompts, Dataset<Row> rejected) {
    Dataset<Row> why =
        rejected
            .select(
                col("prompt_id"),
                col("finish_reason").as("rollout_reason"),
                col("text").as("rollout_detail"))
            .dropDuplicates("prompt_id");
    Dataset<Row> rows = prompts.join(why, "prompt_id");
    Map<String, Column> set = new LinkedHashMap<>();
    set.put("id", col("prompt_id"));
    set.put("excerpt", substring(col("prompt"), 1, 200));
    set.put("detail", col("rollout_detail"));
    return RejectedRows.of(rows, STAGE, col("rollout_reason"), set);
  }
}
