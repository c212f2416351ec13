package io.gristmill.bridge.export;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.bridge.sft.SftTokenizeSparkStage;
import io.gristmill.bridge.shard.ShardManifest;
import io.gristmill.bridge.shard.ShardSchemas;
import io.gristmill.bridge.shard.ShardWriterSparkStage;
import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code gristmill export}: turns a snapshot into what a trainer reads. Formats:
 *
 * <ul>
 *   <li>{@code shards-sft}: tokenized Arrow shards ({@link ShardSchemas#SFT}) of a curated snapshot
 *   <li>{@code shards-rl}: Arrow shards ({@link ShardSchemas#RL}) of a scored rollout snapshot
 *       (columns {@code prompt_id, sample_index, data_source, prompt_token_ids, response_token_ids,
 *       response_logprobs, reward, advantage} and optionally {@code pass_rate, difficulty_bucket})
 *   <li>{@code shards-prompts}: a prompt-only RL set ({@link ShardSchemas#PROMPTS}) of a curated
 *       snapshot, for online trainers: the turns before the first assistant turn, the ground truth
 *       (as for verl), {@code difficulty} and {@code curriculum_weight} from columns of those names
 *       or from the metadata (weight 1 when absent); rows without a prompt turn are rejected
 *   <li>{@code hf-jsonl}, {@code hf-parquet}: HuggingFace {@code messages} rows and a dataset card
 *   <li>{@code verl}: an RL prompt set in verl's parquet schema
 * </ul>
 *
 * Rejected rows go to {@code OUTPUT/rejected/} (Parquet, core's REJECTED schema).
 */
public final class ExportJob {
  public static final List<String> FORMATS =
      List.of("shards-sft", "shards-rl", "shards-prompts", "hf-jsonl", "hf-parquet", "verl");
  private static final List<String> RL_REQUIRED =
      List.of(
          "prompt_id",
          "sample_index",
          "data_source",
          "prompt_token_ids",
          "response_token_ids",
          "response_logprobs",
          "reward",
          "advantage");

  private ExportJob() {}

  /**
   * Exports {@code snapshotDir} (a snapshot folder with {@code data/}, or a Parquet folder itself).
   *
   * @throws io.gristmill.core.GristmillException for an unknown format, missing columns, a missing
   *     tokenizer for {@code shards-sft}, or an output that already holds published shards
   */
  public static ExportSummary run(
      SparkSession spark,
      String snapshotDir,
      String format,
      String outputDir,
      ExportConfig config) {
    if (!FORMATS.contains(format)) {
      throw Errors.exportUnknownFormat(format);
    }
    long t0 = System.nanoTime();
    OutputFiles files = new OutputFiles(outputDir, spark.sparkContext().hadoopConfiguration());
    String dataDir = files.exists(snapshotDir + "/data") ? snapshotDir + "/data" : snapshotDir;
    if (!files.exists(dataDir)) {
      throw Errors.inputNotFound("snapshot", dataDir);
    }
    if (format.startsWith("shards-") && files.exists(outputDir + "/" + ShardManifest.FILE)) {
      throw Errors.shardOutputExists(outputDir);
    }
    Dataset<Row> data = spark.read().parquet(dataDir);
    ShardManifest.Lineage lineage =
        new ShardManifest.Lineage(
            dataDir,
            snapshotId(spark, snapshotDir, files),
            Json.mapper().valueToTree(config),
            codeVersion(),
            null);
    long rows;
    long rejected = 0;
    long fileCount;
    long bytes;
    switch (format) {
      case "shards-sft" -> {
        if (config.sft().tokenizer() == null) {
          throw Errors.configMissingKey("export config", "sft.tokenizer");
        }
        SftTokenizeSparkStage.Result r = SftTokenizeSparkStage.run(data, config.sft());
        try {
          rejected = writeRejected(r.rejected(), outputDir);
          ShardManifest m =
              ShardWriterSparkStage.write(
                  r.kept(), ShardSchemas.Kind.SFT, col("id"), config.shards(), outputDir, lineage);
          rows = m.totals().rows();
          fileCount = m.totals().shards();
          bytes = m.totals().bytes();
        } finally {
          r.cached().unpersist();
        }
      }
      case "shards-rl" -> {
        ShardManifest m =
            ShardWriterSparkStage.write(
                rlRows(data),
                ShardSchemas.Kind.RL,
                concat_ws("/", col("prompt_id"), col("sample_index").cast("string")),
                config.shards(),
                outputDir,
                lineage);
        rows = m.totals().rows();
        fileCount = m.totals().shards();
        bytes = m.totals().bytes();
      }
      case "shards-prompts" -> {
        Dataset<Row> shaped = promptRows(data);
        rejected =
            VerlExport.writeRejected(shaped.filter(col("reject_detail").isNotNull()), outputDir);
        ShardManifest m =
            ShardWriterSparkStage.write(
                shaped.filter(col("reject_detail").isNull()),
                ShardSchemas.Kind.PROMPTS,
                col("prompt_id"),
                config.shards(),
                outputDir,
                lineage);
        rows = m.totals().rows();
        fileCount = m.totals().shards();
        bytes = m.totals().bytes();
      }
      case "verl" -> {
        long[] kr = VerlExport.write(data, outputDir, config.verl(), files);
        rows = kr[0];
        rejected = kr[1];
        long[] fb = files.dataFiles(outputDir, ".parquet");
        fileCount = fb[0];
        bytes = fb[1];
      }
      default -> {
        long[] w =
            HfExport.write(data, outputDir, format.equals("hf-jsonl"), config.hf().split(), files);
        rows = w[0];
        fileCount = w[1];
        bytes = w[2];
      }
    }
    return new ExportSummary(
        format, outputDir, rows, rejected, fileCount, bytes, (System.nanoTime() - t0) / 1e9);
  }

  static Dataset<Row> rlRows(Dataset<Row> data) {
    Set<String> have = Set.of(data.columns());
    List<String> missing = new ArrayList<>();
    for (String c : RL_REQUIRED) {
      if (!have.contains(c)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      throw Errors.exportMissingColumns("shards-rl", String.join(", ", missing));
    }
    List<Column> c = new ArrayList<>();
    for (String n : Arrays.asList("prompt_id", "sample_index", "data_source")) {
      c.add(col(n));
    }
    c.add(col("prompt_token_ids").as("prompt_ids"));
    c.add(col("response_token_ids").as("response_ids"));
    c.add(col("response_logprobs"));
    c.add(col("reward"));
    c.add(col("advantage"));
    c.add(
        have.contains("pass_rate")
            ? col("pass_rate")
            : lit(null).cast(DataTypes.FloatType).as("pass_rate"));
    c.add(
        have.contains("difficulty_bucket")
            ? col("difficulty_bucket")
            : lit(null).cast(DataTypes.StringType).as("difficulty_bucket"));
    return data.select(c.toArray(Column[]::new));
  }

  static Dataset<Row> promptRows(Dataset<Row> data) {
    Set<String> have = Set.of(data.columns());
    Column difficulty =
        have.contains("difficulty")
            ? col("difficulty")
            : get_json_object(col("metadata"), "$.difficulty");
    Column weight =
        have.contains("curriculum_weight")
            ? col("curriculum_weight")
            : coalesce(get_json_object(col("metadata"), "$.curriculum_weight"), lit("1.0"));
    Column prompt = VerlExport.promptColumn();
    return data.select(
        col("id"),
        col("source"),
        col("original_id"),
        col("messages"),
        col("metadata"),
        col("id").as("prompt_id"),
        col("source").as("data_source"),
        prompt.as("prompt"),
        VerlExport.truthColumn().as("ground_truth"),
        difficulty.cast("float").as("difficulty"),
        weight.cast("float").as("curriculum_weight"),
        when(
                prompt.isNull().or(org.apache.spark.sql.functions.size(prompt).equalTo(0)),
                lit("no prompt turn before the first assistant turn"))
            .cast("string")
            .as("reject_detail"));
  }

  private static long writeRejected(Dataset<Row> rejected, String outputDir) {
    rejected.write().mode("overwrite").parquet(outputDir + "/rejected");
    return rejected.count();
  }

  private static String snapshotId(SparkSession spark, String snapshotDir, OutputFiles files) {
    String manifest = snapshotDir + "/manifest.json";
    if (!files.exists(manifest)) {
      return null;
    }
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(manifest);
      try (var in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p)) {
        JsonNode n = Json.mapper().readTree(in);
        return n.path("snapshot_id").isTextual() ? n.get("snapshot_id").asText() : null;
      }
    } catch (java.io.IOException e) {
      throw Errors.inputUnreadable("snapshot", manifest, e);
    }
  }

  static String codeVersion() {
    String v = ExportJob.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
