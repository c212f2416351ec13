package io.gristmill.bridge.sft;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.gristmill.bridge.ExportReason;
import io.gristmill.core.Errors;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.Progress;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.stage.StageReport;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Tokenizes conversations ({@link SparkSchemas#CONVERSATION} columns) into SFT shard rows ({@code
 * id, source, input_ids, loss_mask, num_tokens}) on the executors with {@link SftEncoder}. Samples
 * longer than {@code max_tokens} are handled only by the configured policy ({@code skip}: rejected
 * with reason {@code overlong}; {@code truncate}: cut and counted; {@code fail}: the export stops);
 * a sample with no trained token (left) is rejected. Rejected rows are built by {@link
 * RejectedRows} with stage {@value #STAGE}.
 */
public final class SftTokenizeSparkStage implements Stage {
  public static final String STAGE = "export_sft";
  private static final String CONFIG = "export config";

  private final SftOptions options;
  private final TokenizerFiles files;

  public SftTokenizeSparkStage(SftOptions options, TokenizerFiles files) {
    this.options = options;
    this.files = files;
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public StageOutput apply(Dataset<Row> input, StageContext context) {
    return tokenize(input).output();
  }

  /**
   * Counts of one pass.
   *
   * @param truncated samples cut to {@code max_tokens} (policy truncate)
   * @param overlong samples over {@code max_tokens} before any truncation
   * @param longest the most tokens a sample had before truncation
   * @param tokens tokens written
   * @param unknown unknown tokens among them
   */
  public record Stats(
      long rowsIn,
      long kept,
      long truncated,
      long overlong,
      long longest,
      long tokens,
      long unknown) {
    /** Facts for the export manifest's {@code properties}. */
    public Map<String, Object> properties() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("sft_truncated_rows", truncated);
      p.put("sft_overlong_rows", overlong);
      p.put("sft_longest_sample_tokens", longest);
      p.put("sft_tokens_written", tokens);
      p.put("sft_unknown_tokens_written", unknown);
      return p;
    }
  }

  /** The stage's output, its counts, and the cached table to unpersist when done. */
  public record Tokenized(StageOutput output, Stats stats, Dataset<Row> cached) {}

  static final StructType TOKENIZED =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("input_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
          .add("loss_mask", DataTypes.createArrayType(DataTypes.ByteType, false), true)
          .add("num_tokens", DataTypes.IntegerType, false)
          .add("full_tokens", DataTypes.IntegerType, false)
          .add("truncated", DataTypes.BooleanType, false)
          .add("unknown_tokens", DataTypes.IntegerType, false)
          .add("reject_reason", DataTypes.StringType, true)
          .add("reject_detail", DataTypes.StringType, true)
          .add("original_id", DataTypes.StringType, true)
          .add("messages", SparkSchemas.MESSAGES, true)
          .add("metadata", DataTypes.StringType, true)
          .add("data_source", DataTypes.StringType, true)
          .add("ground_truth", DataTypes.StringType, true)
          .add("file", DataTypes.StringType, true)
          .add("line", DataTypes.LongType, true);

  /** Tokenizes {@code conversations}; fails (exit 2) under {@code overlong: fail}. */
  public Tokenized tokenize(Dataset<Row> conversations) {
    long t0 = System.nanoTime();
    Dataset<Row> in =
        conversations.select(
            col("id"),
            col("source"),
            col("messages"),
            col("original_id"),
            col("metadata"),
            col("data_source"),
            col("ground_truth"),
            col("file"),
            col("line"));
    long rowsIn = in.count();
    Dataset<Row> tokenized;
    try (Progress p =
        Progress.ofItems(in.sparkSession(), "export shards-sft", "conversations", rowsIn)) {
      tokenized =
          in.mapPartitions(new Tokenize(options, files, p.accumulator()), Encoders.row(TOKENIZED))
              .persist(StorageLevel.MEMORY_AND_DISK());
      tokenized.count();
    }
    Row agg =
        tokenized
            .agg(
                count(when(col("reject_reason").isNull(), lit(1))),
                count(when(col("truncated"), lit(1))),
                count(when(col("full_tokens").gt(options.maxTokens()), lit(1))),
                coalesce(max(col("full_tokens")), lit(0)),
                coalesce(sum(when(col("reject_reason").isNull(), col("num_tokens"))), lit(0L)),
                coalesce(sum(when(col("reject_reason").isNull(), col("unknown_tokens"))), lit(0L)))
            .first();
    Stats stats =
        new Stats(
            rowsIn,
            agg.getLong(0),
            agg.getLong(1),
            agg.getLong(2),
            ((Number) agg.get(3)).longValue(),
            ((Number) agg.get(4)).longValue(),
            ((Number) agg.get(5)).longValue());
    if (options.overlong().equals("fail") && stats.overlong() > 0) {
      Row longest =
          tokenized
              .filter(col("full_tokens").gt(options.maxTokens()))
              .orderBy(col("full_tokens").desc(), col("id"))
              .select("id", "full_tokens")
              .first();
      tokenized.unpersist();
      throw Errors.configInvalidValue(
          CONFIG,
          "sft.max_tokens",
          String.valueOf(options.maxTokens()),
          String.format(
              Locale.ROOT,
              "a limit no sample exceeds under overlong: fail, but %d of %d samples are longer"
                  + " (longest: %s, %d tokens); raise max_tokens or set overlong: skip or"
                  + " truncate",
              stats.overlong(),
              rowsIn,
              longest.getString(0),
              longest.getInt(1)));
    }
    Map<String, Long> reasons = new LinkedHashMap<>();
    for (Row r :
        tokenized
            .filter(col("reject_reason").isNotNull())
            .groupBy("reject_reason")
            .count()
            .collectAsList()) {
      reasons.put(r.getString(0), r.getLong(1));
    }
    Dataset<Row> kept =
        tokenized
            .filter(col("reject_reason").isNull())
            .select("id", "source", "input_ids", "loss_mask", "num_tokens");
    Dataset<Row> rejected =
        RejectedRows.of(
            tokenized.filter(col("reject_reason").isNotNull()),
            STAGE,
            col("reject_reason"),
            Map.of("detail", col("reject_detail")));
    StageReport report =
        new StageReport(STAGE, rowsIn, stats.kept(), reasons, (System.nanoTime() - t0) / 1e9);
    List<String> details = new ArrayList<>();
    details.add("tokenizer: " + files.describe());
    details.add(
        String.format(
            Locale.ROOT,
            "max_tokens %d, overlong: %s — %d samples over the limit (longest %d tokens), %d"
                + " truncated",
            options.maxTokens(),
            options.overlong(),
            stats.overlong(),
            stats.longest(),
            stats.truncated()));
    return new Tokenized(
        StageOutput.of(kept, rejected, report).withDetails(details), stats, tokenized);
  }

  /**
   * The share of unknown tokens in the first {@code unknown_token_sample_rows} rows (by id),
   * encoded on the driver.
   *
   * @param rows rows sampled
   * @param tokens their tokens
   * @param unknown how many of them are the unknown token
   */
  public record UnknownTokenCheck(long rows, long tokens, long unknown, double rate) {}

  /**
   * Encodes a sample on the driver; fails (exit 2) when the unknown-token rate is over the limit.
   */
  public UnknownTokenCheck checkUnknownTokens(Dataset<Row> conversations) {
    List<Row> sample =
        conversations
            .select("id", "source", "messages", "original_id", "metadata")
            .orderBy("id")
            .limit(options.unknownTokenSampleRows())
            .collectAsList();
    SftEncoder enc = SftEncoder.forFiles(files);
    long tokens = 0;
    long unknown = 0;
    for (Row r : sample) {
      long[] n = enc.tokenCount(SparkSchemas.fromRow(r).messages());
      if (n != null) {
        tokens += n[0];
        unknown += n[1];
      }
    }
    double rate = tokens == 0 ? 0 : (double) unknown / tokens;
    if (rate > options.maxUnknownTokenRate()) {
      throw Errors.configInvalidValue(
          CONFIG,
          "sft.tokenizer",
          files.tokenizerJson(),
          String.format(
              Locale.ROOT,
              "a tokenizer that covers this data, but %.2f%% of the %d tokens of the first %d"
                  + " rows (by id) are its unknown token '%s', above max_unknown_token_rate"
                  + " %.2f%%; point sft.tokenizer at the model's own tokenizer.json",
              100 * rate,
              tokens,
              sample.size(),
              files.unknownToken(),
              100 * options.maxUnknownTokenRate()));
    }
    return new UnknownTokenCheck(sample.size(), tokens, unknown, rate);
  }

  /** Executor side: one encoder per JVM, one output row per conversation. */
  static final class Tokenize implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final SftOptions options;
    private final TokenizerFiles files;
    private final LongAccumulator done;

    Tokenize(SftOptions options, TokenizerFiles files, LongAccumulator done) {
      this.options = options;
      this.files = files;
      this.done = done;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      SftEncoder encoder = SftEncoder.forFiles(files);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = encode(encoder, rows.next());
          done.add(1);
          return r;
        }
      };
    }

    Row encode(SftEncoder encoder, Row row) {
      Conversation c = SparkSchemas.fromRow(row);
      SftEncoder.Result result = encoder.encode(c.messages());
      if (result instanceof SftEncoder.Failed f) {
        return rejected(row, c, 0, 0, f.reason(), f.detail());
      }
      SftEncoder.Encoded e = (SftEncoder.Encoded) result;
      int full = e.ids().length;
      boolean truncated = false;
      if (full > options.maxTokens()) {
        if (!options.overlong().equals("truncate")) {
          return rejected(
              row,
              c,
              full,
              e.unknown(),
              ExportReason.OVERLONG,
              full + " tokens > max_tokens " + options.maxTokens());
        }
        e = e.truncate(options.maxTokens());
        truncated = true;
      }
      if (e.trainable() == 0) {
        return rejected(
            row,
            c,
            full,
            e.unknown(),
            ExportReason.NO_ASSISTANT_TOKENS,
            truncated
                ? "no assistant token within the first " + options.maxTokens() + " tokens"
                : "the conversation has no assistant turn");
      }
      List<Integer> ids = new ArrayList<>(e.ids().length);
      List<Byte> mask = new ArrayList<>(e.ids().length);
      int unknown = 0;
      for (int i = 0; i < e.ids().length; i++) {
        ids.add(e.ids()[i]);
        mask.add(e.mask()[i]);
        if (e.ids()[i] == files.unknownId()) {
          unknown++;
        }
      }
      return RowFactory.create(
          c.id(),
          c.source(),
          CollectionConverters.asScala(ids).toSeq(),
          CollectionConverters.asScala(mask).toSeq(),
          e.ids().length,
          full,
          truncated,
          unknown,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }

    private static Row rejected(
        Row row, Conversation c, int full, int unknown, ExportReason reason, String detail) {
      return RowFactory.create(
          c.id(),
          c.source(),
          null,
          null,
          0,
          full,
          false,
          unknown,
          reason.code(),
          detail,
          c.originalId(),
          row.get(row.fieldIndex("messages")),
          c.metadata(),
          c.dataSource(),
          c.groundTruth(),
          c.file(),
          row.isNullAt(row.fieldIndex("line")) ? null : row.getLong(row.fieldIndex("line")));
    }
  }
}
