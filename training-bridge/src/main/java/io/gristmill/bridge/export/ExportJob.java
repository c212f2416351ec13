package io.gristmill.bridge.export;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.bridge.ExportReason;
import io.gristmill.bridge.sft.SftEncoder;
import io.gristmill.bridge.sft.SftTokenizeSparkStage;
import io.gristmill.bridge.sft.TokenizerFiles;
import io.gristmill.bridge.shard.ShardManifest;
import io.gristmill.bridge.shard.ShardSchemas;
import io.gristmill.bridge.shard.ShardWriterSparkStage;
import io.gristmill.core.Errors;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.snapshot.CodeVersion;
import io.gristmill.core.snapshot.Json;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.snapshot.SnapshotSummary;
import io.gristmill.core.spark.DeterministicParquet;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.stage.StageReport;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code gristmill export}: turns a snapshot into what a trainer reads. The input may be a dataset
 * folder (its {@code LATEST} snapshot), a snapshot folder, its {@code data/} folder, or a plain
 * Parquet folder; its kind is checked per format before Spark starts ({@link #checkInput}). Formats
 * and the kinds they take:
 *
 * <ul>
 *   <li>{@code shards-sft} (conversation, prompt_set, mixture, selection): tokenized Arrow shards
 *       ({@link ShardSchemas#SFT}) with the model's own chat template and a loss mask on exactly
 *       the assistant tokens ({@link SftTokenizeSparkStage})
 *   <li>{@code shards-rl} (scored_rollout): Arrow shards ({@link ShardSchemas#RL}) of the scored
 *       samples: {@code prompt_token_ids}, {@code response_token_ids}, {@code response_logprobs},
 *       {@code reward}, {@code advantage}, and the prompt's pass rate and difficulty bucket from
 *       the snapshot's {@code difficulty/} output when present
 *   <li>{@code shards-prompts} (prompt_set, selection, conversation): a prompt-only RL set ({@link
 *       ShardSchemas#PROMPTS}) for online trainers: the turns before the first assistant turn, the
 *       ground truth (as for verl), {@code difficulty} and {@code curriculum_weight}
 *   <li>{@code hf-jsonl}, {@code hf-parquet} (conversation, prompt_set, mixture, selection):
 *       HuggingFace {@code messages} rows and a dataset card
 *   <li>{@code verl} (prompt_set, selection, conversation): an RL prompt set in verl's parquet
 *       schema ({@link VerlExport})
 * </ul>
 *
 * Scored rollouts are not a verl or prompt-set input: their prompts are rendered text, one row per
 * sample; export the prompt set they were rolled out from instead.
 *
 * <p>Every row of the input is either written or rejected with a reason ({@code OUTPUT/rejected/},
 * core's REJECTED schema, counted in the manifest); an export that would write no row of a
 * non-empty input fails (exit 2). Exports publish like snapshots ({@link ExportTarget}): written to
 * a staging folder beside the output, then renamed into place; the output folder must not exist or
 * be empty (exit 4 otherwise) unless {@code --overwrite}, and is never a dataset folder or
 * snapshot, nor inside one; a failed export removes only its staging folder. Parquet/JSONL outputs
 * get {@code manifest.json} (core's {@link SnapshotManifest}: job {@code export}, kind, input with
 * size and checksum, config, stage counts, code version) and {@code summary.txt}; shard folders
 * keep their own {@code manifest.json} (the shard readers' format) and get the export manifest as
 * {@value #SHARD_EXPORT_MANIFEST}.
 */
public final class ExportJob {
  public static final List<String> FORMATS =
      List.of("shards-sft", "shards-rl", "shards-prompts", "hf-jsonl", "hf-parquet", "verl");

  /** The export manifest's name in a shard folder (whose manifest.json is the shard manifest). */
  public static final String SHARD_EXPORT_MANIFEST = "export_manifest.json";

  static final Set<DatasetKind> CONVERSATIONS =
      EnumSet.of(
          DatasetKind.CONVERSATION,
          DatasetKind.PROMPT_SET,
          DatasetKind.MIXTURE,
          DatasetKind.SELECTION);
  static final Set<DatasetKind> PROMPT_SETS =
      EnumSet.of(DatasetKind.PROMPT_SET, DatasetKind.SELECTION, DatasetKind.CONVERSATION);
  static final Set<DatasetKind> SCORED = EnumSet.of(DatasetKind.SCORED_ROLLOUT);

  static final String PROMPTS_STAGE = "export_prompts";
  static final String RL_STAGE = "export_rl";
  static final String PROMPT_PRODUCER = "gristmill curate (of gsm8k, math, math500, verl sources)";

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

  /** The dataset kinds {@code format} takes. */
  public static Set<DatasetKind> accepts(String format) {
    if (!FORMATS.contains(format)) {
      throw Errors.exportUnknownFormat(format);
    }
    return switch (format) {
      case "shards-rl" -> SCORED;
      case "shards-prompts", "verl" -> PROMPT_SETS;
      default -> CONVERSATIONS;
    };
  }

  /**
   * Everything that can be checked before Spark starts: the format, the config ({@code shards-sft}:
   * the tokenizer is set, its files exist, the chat template is there, and DJL loads the
   * tokenizer), and that the input exists and is a snapshot of a kind the format takes.
   *
   * @return the resolved input
   * @throws io.gristmill.core.GristmillException exit 2 for a config error or an input of the wrong
   *     kind (naming the command that writes the right one), 3 for a missing input, 5 for a
   *     tokenizer DJL cannot load
   */
  public static SnapshotRef checkInput(
      String snapshot, String format, ExportConfig cfg, Configuration conf) {
    Set<DatasetKind> kinds = accepts(format);
    if (format.equals("shards-sft")) {
      SftEncoder.forFiles(TokenizerFiles.load(cfg.sft()));
    }
    return SnapshotRef.resolve(snapshot, conf).requireKind("export --format " + format, kinds);
  }

  /**
   * Refuses (exit 4) an output that exists and is not empty, or lies in or is a Gristmill dataset
   * or snapshot ({@link ExportTarget}); needs no Spark.
   *
   * @throws io.gristmill.core.GristmillException of kind OUTPUT
   */
  public static void checkOutput(String output, Configuration conf) {
    checkOutput(output, false, conf);
  }

  /**
   * As {@link #checkOutput(String, Configuration)}; with {@code overwrite} a non-empty folder is
   * accepted (it is replaced at publication), but never a dataset folder or snapshot.
   */
  public static void checkOutput(String output, boolean overwrite, Configuration conf) {
    ExportTarget.check(output, overwrite, conf);
  }

  /**
   * Exports {@code snapshot} (see the class comment) to {@code outputDir}, which must not exist or
   * be empty. Runs {@link #checkInput} and {@link #checkOutput} first.
   */
  public static ExportSummary run(
      SparkSession spark, String snapshot, String format, String outputDir, ExportConfig config) {
    return run(spark, snapshot, format, outputDir, config, false);
  }

  /**
   * Exports {@code snapshot} to {@code outputDir} through a staging folder beside it, published by
   * a rename ({@link ExportTarget}); with {@code overwrite} a non-empty {@code outputDir} that is
   * no dataset folder or snapshot is replaced. A failed export leaves {@code outputDir} as it was
   * and removes its staging folder.
   */
  public static ExportSummary run(
      SparkSession spark,
      String snapshot,
      String format,
      String outputDir,
      ExportConfig config,
      boolean overwrite) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    SnapshotRef ref = checkInput(snapshot, format, config, conf);
    ExportTarget target = ExportTarget.check(outputDir, overwrite, conf);
    try {
      ExportSummary s =
          new Run(spark, ref, format, target.staging(), outputDir, config, conf).export();
      target.publish();
      return s;
    } finally {
      target.abandon();
    }
  }

  /** What one format wrote. */
  private record Written(
      DatasetKind kind,
      StageReport report,
      List<String> details,
      Map<String, Object> properties,
      Map<String, Long> outputs,
      long files,
      long bytes,
      JsonNode schema) {}

  private static final class Run {
    final SparkSession spark;
    final SnapshotRef ref;
    final String format;
    final String output;
    final String published;
    final ExportConfig config;
    final Configuration conf;
    final OutputFiles files;
    final String input;
    final long t0 = System.nanoTime();

    Run(
        SparkSession spark,
        SnapshotRef ref,
        String format,
        String output,
        String published,
        ExportConfig config,
        Configuration conf) {
      this.spark = spark;
      this.ref = ref;
      this.format = format;
      this.output = output;
      this.published = published;
      this.config = config;
      this.conf = conf;
      this.files = new OutputFiles(output, conf);
      this.input = ref.dataPath().toString();
    }

    ExportSummary export() {
      // No _SUCCESS markers from Spark's committer in any export folder.
      conf.set("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
      Dataset<Row> data = spark.read().parquet(input);
      Written w =
          switch (format) {
            case "shards-sft" -> sft(data);
            case "shards-rl" -> rl(data);
            case "shards-prompts" -> prompts(data);
            case "verl" -> verl(data);
            default -> hf(data, format.equals("hf-jsonl"));
          };
      String manifestPath = writeManifest(w);
      return new ExportSummary(
          format,
          published,
          w.report().kept(),
          w.report().rejectedTotal(),
          w.files(),
          w.bytes(),
          (System.nanoTime() - t0) / 1e9,
          manifestPath);
    }

    DatasetKind inputKindOr(DatasetKind fallback) {
      return ref.kind() == null ? fallback : ref.kind();
    }

    ShardManifest.Lineage lineage() {
      return new ShardManifest.Lineage(
          input,
          ref.isSnapshot() ? ref.manifest().snapshotId() : null,
          Json.mapper().valueToTree(config),
          CodeVersion.get(),
          null);
    }

    Written sft(Dataset<Row> data) {
      Dataset<Row> conv = ConversationColumns.normalize(data, format, input);
      TokenizerFiles tf = TokenizerFiles.load(config.sft());
      SftTokenizeSparkStage stage = new SftTokenizeSparkStage(config.sft(), tf);
      SftTokenizeSparkStage.UnknownTokenCheck unknown = stage.checkUnknownTokens(conv);
      SftTokenizeSparkStage.Tokenized t = stage.tokenize(conv);
      try {
        StageReport r = t.output().report();
        requireRows(
            r,
            t.output().rejected(),
            "conversation",
            "messages that render and tokenize to at most max_tokens "
                + config.sft().maxTokens()
                + " tokens with an assistant turn",
            "gristmill curate");
        Dataset<Row> kept = t.output().kept();
        ShardManifest m =
            ShardWriterSparkStage.write(
                kept, ShardSchemas.Kind.SFT, col("id"), config.shards(), output, lineage());
        Map<String, Long> outputs = new LinkedHashMap<>();
        outputs.put("shards", m.totals().rows());
        writeRejected(r, t.output().rejected(), outputs);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tokenizer", tf.tokenizerJson());
        props.put("chat_template", tf.templateSource());
        props.put("unknown_token", tf.unknownToken());
        props.put("unknown_token_sample_rows", unknown.rows());
        props.put("unknown_token_sample_tokens", unknown.tokens());
        props.put("unknown_token_rate", unknown.rate());
        props.put("max_tokens", config.sft().maxTokens());
        props.put("overlong", config.sft().overlong());
        props.putAll(t.stats().properties());
        List<String> details = new ArrayList<>(t.output().details());
        details.add(
            String.format(
                java.util.Locale.ROOT,
                "unknown tokens: %.4f%% of %d tokens in the first %d rows (limit %.2f%%)",
                100 * unknown.rate(),
                unknown.tokens(),
                unknown.rows(),
                100 * config.sft().maxUnknownTokenRate()));
        return new Written(
            inputKindOr(DatasetKind.CONVERSATION),
            r,
            details,
            props,
            outputs,
            m.totals().shards(),
            m.totals().bytes(),
            schemaOf(kept));
      } finally {
        t.cached().unpersist();
      }
    }

    Written rl(Dataset<Row> data) {
      List<String> missing = new ArrayList<>();
      for (String c : RL_REQUIRED) {
        if (!ConversationColumns.has(data, c)) {
          missing.add(c);
        }
      }
      if (!missing.isEmpty()) {
        throw Errors.inputLacksColumns(
            "export --format shards-rl",
            input,
            DatasetKind.SCORED_ROLLOUT.id(),
            String.join(", ", missing),
            DatasetKind.SCORED_ROLLOUT.producedBy());
      }
      long start = System.nanoTime();
      List<String> details = new ArrayList<>();
      Dataset<Row> withDifficulty = withDifficulty(data, details);
      Column noTokens =
          col("sample_index")
              .isNull()
              .or(col("prompt_token_ids").isNull())
              .or(col("response_token_ids").isNull())
              .or(col("response_logprobs").isNull());
      Column mismatch = size(col("response_logprobs")).notEqual(size(col("response_token_ids")));
      Dataset<Row> shaped =
          withDifficulty
              .withColumn(
                  "reject_reason",
                  when(noTokens, lit(ExportReason.NO_TOKEN_IDS.code()))
                      .when(mismatch, lit(ExportReason.LOGPROBS_MISMATCH.code())))
              .withColumn(
                  "reject_detail",
                  when(
                          noTokens,
                          lit(
                              "the sample has no token ids, logprobs or sample_index (an imported"
                                  + " rollout); shards-rl needs rollouts generated by gristmill"
                                  + " rollout"))
                      .when(
                          mismatch,
                          concat_ws(
                              " ",
                              lit("response_logprobs has"),
                              size(col("response_logprobs")).cast("string"),
                              lit("entries for"),
                              size(col("response_token_ids")).cast("string"),
                              lit("response tokens"))))
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        StageReport r = report(RL_STAGE, shaped, start);
        Map<String, Column> set = new LinkedHashMap<>();
        set.put("source", col("data_source"));
        set.put("id", concat_ws("/", col("prompt_id"), col("sample_index").cast("string")));
        set.put("original_id", col("prompt_id"));
        set.put(
            "excerpt",
            ConversationColumns.has(shaped, "response")
                ? substring(col("response"), 1, 200)
                : lit(null).cast("string"));
        set.put("detail", col("reject_detail"));
        Dataset<Row> rejected =
            RejectedRows.of(
                shaped.filter(col("reject_reason").isNotNull()),
                RL_STAGE,
                col("reject_reason"),
                set);
        requireRows(
            r,
            rejected,
            DatasetKind.SCORED_ROLLOUT.id(),
            "prompt_token_ids, response_token_ids, response_logprobs and sample_index (non-null)",
            DatasetKind.SCORED_ROLLOUT.producedBy() + " of a gristmill rollout snapshot");
        Dataset<Row> kept =
            shaped
                .filter(col("reject_reason").isNull())
                .withColumn("prompt_ids", col("prompt_token_ids"))
                .withColumn("response_ids", col("response_token_ids"));
        ShardManifest m =
            ShardWriterSparkStage.write(
                kept,
                ShardSchemas.Kind.RL,
                concat_ws("/", col("prompt_id"), col("sample_index").cast("string")),
                config.shards(),
                output,
                lineage());
        Map<String, Long> outputs = new LinkedHashMap<>();
        outputs.put("shards", m.totals().rows());
        writeRejected(r, rejected, outputs);
        Map<String, Object> props = new LinkedHashMap<>();
        if (ref.isSnapshot() && ref.manifest().properties() != null) {
          Object variant = ref.manifest().properties().get("advantage_variant");
          if (variant != null) {
            props.put("advantage_variant", variant);
          }
        }
        return new Written(
            DatasetKind.SCORED_ROLLOUT,
            r,
            details,
            props,
            outputs,
            m.totals().shards(),
            m.totals().bytes(),
            null);
      } finally {
        shaped.unpersist();
      }
    }

    /** {@code pass_rate} and {@code difficulty_bucket}: columns, else the difficulty/ output. */
    Dataset<Row> withDifficulty(Dataset<Row> data, List<String> details) {
      boolean hasRate = ConversationColumns.has(data, "pass_rate");
      boolean hasBucket = ConversationColumns.has(data, "difficulty_bucket");
      Dataset<Row> out = data;
      String diff = ref.isSnapshot() ? ref.output("difficulty").toString() : null;
      if ((!hasRate || !hasBucket) && diff != null && files.exists(diff)) {
        Dataset<Row> d = spark.read().parquet(diff);
        List<Column> c = new ArrayList<>();
        c.add(col("prompt_id").as("__d_prompt_id"));
        c.add(
            (ConversationColumns.has(d, "pass_rate") ? col("pass_rate") : lit(null))
                .cast(DataTypes.DoubleType)
                .as("__d_pass_rate"));
        c.add(
            (ConversationColumns.has(d, "bucket") ? col("bucket") : lit(null))
                .cast(DataTypes.StringType)
                .as("__d_bucket"));
        out =
            out.join(
                d.select(c.toArray(Column[]::new)),
                col("prompt_id").equalTo(col("__d_prompt_id")),
                "left");
        if (!hasRate) {
          out = out.withColumn("pass_rate", col("__d_pass_rate"));
        }
        if (!hasBucket) {
          out = out.withColumn("difficulty_bucket", col("__d_bucket"));
        }
        out = out.drop("__d_prompt_id", "__d_pass_rate", "__d_bucket");
        details.add("pass_rate and difficulty_bucket from " + diff);
      }
      if (!ConversationColumns.has(out, "pass_rate")) {
        out = out.withColumn("pass_rate", lit(null).cast(DataTypes.DoubleType));
      }
      if (!ConversationColumns.has(out, "difficulty_bucket")) {
        out = out.withColumn("difficulty_bucket", lit(null).cast(DataTypes.StringType));
      }
      return out;
    }

    Written prompts(Dataset<Row> data) {
      long start = System.nanoTime();
      Dataset<Row> conv = ConversationColumns.normalize(data, format, input);
      Column difficulty =
          ConversationColumns.has(conv, "difficulty")
              ? col("difficulty")
              : get_json_object(col("metadata"), "$.difficulty");
      Column weight =
          ConversationColumns.has(conv, "curriculum_weight")
              ? col("curriculum_weight")
              : coalesce(get_json_object(col("metadata"), "$.curriculum_weight"), lit("1.0"));
      Dataset<Row> shaped =
          conv.withColumn("prompt", VerlExport.promptColumn())
              .withColumn("ground_truth", VerlExport.truthColumn())
              .withColumn("data_source", VerlExport.dataSourceColumn())
              .withColumn("prompt_id", col("id"))
              .withColumn("difficulty", difficulty.cast("float"))
              .withColumn("curriculum_weight", weight.cast("float"))
              .withColumn("reject_reason", VerlExport.rejectReason())
              .withColumn("reject_detail", VerlExport.rejectDetail())
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        StageReport r = report(PROMPTS_STAGE, shaped, start);
        Dataset<Row> rejected = rejectedConversations(shaped, PROMPTS_STAGE);
        requireRows(
            r,
            rejected,
            DatasetKind.PROMPT_SET.id(),
            "ground_truth and a prompt turn",
            PROMPT_PRODUCER);
        Dataset<Row> kept = shaped.filter(col("reject_reason").isNull());
        ShardManifest m =
            ShardWriterSparkStage.write(
                kept,
                ShardSchemas.Kind.PROMPTS,
                col("prompt_id"),
                config.shards(),
                output,
                lineage());
        Map<String, Long> outputs = new LinkedHashMap<>();
        outputs.put("shards", m.totals().rows());
        writeRejected(r, rejected, outputs);
        return new Written(
            DatasetKind.PROMPT_SET,
            r,
            List.of(),
            Map.of(),
            outputs,
            m.totals().shards(),
            m.totals().bytes(),
            null);
      } finally {
        shaped.unpersist();
      }
    }

    Written verl(Dataset<Row> data) {
      long start = System.nanoTime();
      Dataset<Row> conv = ConversationColumns.normalize(data, format, input);
      Dataset<Row> shaped =
          VerlExport.shape(conv, config.verl()).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        StageReport r = report(VerlExport.STAGE, shaped, start);
        Dataset<Row> rejected = rejectedConversations(shaped, VerlExport.STAGE);
        requireRows(
            r,
            rejected,
            DatasetKind.PROMPT_SET.id(),
            "ground_truth and a prompt turn",
            PROMPT_PRODUCER);
        String file = config.verl().split() + ".parquet";
        String path = output + "/" + file;
        VerlExport.write(
            shaped.filter(col("reject_reason").isNull()),
            output,
            path,
            config.verl().split(),
            files);
        Map<String, Long> outputs = new LinkedHashMap<>();
        outputs.put(file, r.kept());
        writeRejected(r, rejected, outputs);
        JsonNode schema = schemaOf(spark.read().parquet(path));
        return new Written(
            DatasetKind.PROMPT_SET,
            r,
            List.of(),
            Map.of("verl_split", config.verl().split()),
            outputs,
            1,
            files.size(path),
            schema);
      } finally {
        shaped.unpersist();
      }
    }

    Written hf(Dataset<Row> data, boolean jsonl) {
      long start = System.nanoTime();
      Dataset<Row> conv = ConversationColumns.normalize(data, format, input);
      long bytes = ref.dataBytes(conf);
      int fileCount = (int) Math.max(1, Math.min(1024, (bytes + (256L << 20) - 1) / (256L << 20)));
      long[] w = HfExport.write(conv, output, jsonl, config.hf().split(), fileCount, files);
      StageReport r =
          new StageReport(HfExport.STAGE, w[0], w[0], Map.of(), (System.nanoTime() - start) / 1e9);
      Map<String, Long> outputs = new LinkedHashMap<>();
      outputs.put("data", w[0]);
      return new Written(
          inputKindOr(DatasetKind.CONVERSATION),
          r,
          List.of(),
          Map.of("hf_split", config.hf().split()),
          outputs,
          w[1],
          w[2],
          schemaOf(HfExport.rows(conv)));
    }

    /** A report from a shaped table's {@code reject_reason} column (null: kept). */
    StageReport report(String stage, Dataset<Row> shaped, long startNanos) {
      long kept = 0;
      Map<String, Long> reasons = new LinkedHashMap<>();
      for (Row r : shaped.groupBy("reject_reason").count().collectAsList()) {
        if (r.isNullAt(0)) {
          kept = r.getLong(1);
        } else {
          reasons.put(r.getString(0), r.getLong(1));
        }
      }
      long in = kept + reasons.values().stream().mapToLong(Long::longValue).sum();
      return new StageReport(stage, in, kept, reasons, (System.nanoTime() - startNanos) / 1e9);
    }

    Dataset<Row> rejectedConversations(Dataset<Row> shaped, String stage) {
      return RejectedRows.of(
          shaped.filter(col("reject_reason").isNotNull()),
          stage,
          col("reject_reason"),
          Map.of("detail", col("reject_detail")));
    }

    /** Fails (exit 2) when a non-empty input keeps no row. */
    void requireRows(
        StageReport r, Dataset<Row> rejected, String kind, String needs, String producer) {
      if (r.rowsIn() > 0 && r.kept() == 0) {
        Row ex = rejected.select("id", "detail").orderBy("id").first();
        throw ExportErrors.nothingToExport(
            format,
            ref.given(),
            kind,
            needs,
            r.rowsIn(),
            r.rejected(),
            ex.getString(0) + ": " + ex.getString(1),
            producer);
      }
    }

    void writeRejected(StageReport r, Dataset<Row> rejected, Map<String, Long> outputs) {
      if (r.rejectedTotal() == 0) {
        return;
      }
      String dir = output + "/rejected";
      DeterministicParquet.write(rejected, dir, 1, "id", "stage", "reason", "id", "detail");
      files.clean(dir);
      outputs.put("rejected", spark.read().parquet(dir).count());
    }

    String writeManifest(Written w) {
      Map<String, Long> byStage = new LinkedHashMap<>();
      if (w.report().rejectedTotal() > 0) {
        byStage.put(w.report().stage(), w.report().rejectedTotal());
      }
      SnapshotManifest.InputFile in =
          ref.asInput(ref.isSnapshot() ? "snapshot" : "table", conf)
              .withCounts(w.report().kept(), byStage);
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("format", format);
      props.put("input_kind", ref.kind() == null ? "(plain table)" : ref.kind().id());
      if (ref.isSnapshot()) {
        props.put("input_snapshot_id", ref.manifest().snapshotId());
      }
      props.putAll(w.properties());
      String name = new org.apache.hadoop.fs.Path(published).getName();
      SnapshotManifest m =
          new SnapshotManifest(
              SnapshotManifest.FORMAT_VERSION,
              name,
              SnapshotStore.newSnapshotId(Instant.now()),
              "export",
              w.kind().id(),
              w.kind().version(),
              w.schema(),
              Instant.now().toString(),
              CodeVersion.get(),
              List.of(in),
              Json.mapper().valueToTree(config),
              List.of(w.report()),
              w.details(),
              w.outputs(),
              props,
              null,
              Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
      boolean shards = format.startsWith("shards-");
      String manifest = output + "/" + (shards ? SHARD_EXPORT_MANIFEST : SnapshotStore.MANIFEST);
      files.writeText(output + "/" + SnapshotStore.SUMMARY, SnapshotSummary.render(m));
      try {
        files.writeText(manifest, Json.mapper().writeValueAsString(m));
      } catch (IOException e) {
        throw Errors.outputFailed("export manifest", manifest, e);
      }
      return published + manifest.substring(output.length());
    }

    static JsonNode schemaOf(Dataset<Row> rows) {
      try {
        return Json.mapper().readTree(rows.schema().json());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
