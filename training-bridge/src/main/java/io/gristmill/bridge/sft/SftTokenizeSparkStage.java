package io.gristmill.bridge.sft;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Reason;
import io.gristmill.core.spark.SparkSchemas;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Tokenizes curated conversations ({@link SparkSchemas#CONVERSATION}) into SFT shard rows ({@code
 * id, source, input_ids, loss_mask, num_tokens}) on the executors. Samples longer than {@code
 * max_tokens} are truncated or, with {@code over_length: skip}, rejected; samples with no trained
 * token left are rejected too. Rejected rows use {@link SparkSchemas#REJECTED} with stage {@value
 * #STAGE} and reason {@code filtered}.
 */
public final class SftTokenizeSparkStage {
  public static final String STAGE = "export_sft";

  private SftTokenizeSparkStage() {}

  /** The kept rows and the rejected rows of one tokenization pass (cached; unpersist when done). */
  public record Result(Dataset<Row> kept, Dataset<Row> rejected, Dataset<Row> cached) {}

  static final StructType TOKENIZED =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("input_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
          .add("loss_mask", DataTypes.createArrayType(DataTypes.ByteType, false), true)
          .add("num_tokens", DataTypes.IntegerType, false)
          .add("reject_detail", DataTypes.StringType, true)
          .add("original_id", DataTypes.StringType, true)
          .add("messages", SparkSchemas.MESSAGES, true)
          .add("metadata", DataTypes.StringType, true);

  public static Result run(Dataset<Row> conversations, SftOptions options) {
    Dataset<Row> tokenized =
        conversations
            .select(col("id"), col("source"), col("messages"), col("original_id"), col("metadata"))
            .mapPartitions(new Tokenize(options), Encoders.row(TOKENIZED))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> kept =
        tokenized
            .filter(col("reject_detail").isNull())
            .select("id", "source", "input_ids", "loss_mask", "num_tokens");
    List<Column> rej = new ArrayList<>();
    rej.add(lit(STAGE).as("stage"));
    rej.add(lit(Reason.FILTERED.code()).as("reason"));
    rej.add(col("source"));
    rej.add(lit(null).cast(DataTypes.StringType).as("file"));
    rej.add(lit(0L).as("line"));
    rej.add(col("original_id"));
    rej.add(col("id"));
    rej.add(col("messages"));
    rej.add(col("metadata"));
    rej.add(lit(null).cast(DataTypes.StringType).as("excerpt"));
    rej.add(col("reject_detail").as("detail"));
    rej.add(lit(null).cast(DataTypes.StringType).as("duplicate_of"));
    rej.add(lit(null).cast(DataTypes.StringType).as("duplicate_of_original_id"));
    rej.add(lit(null).cast(DataTypes.DoubleType).as("similarity"));
    Dataset<Row> rejected =
        tokenized.filter(col("reject_detail").isNotNull()).select(rej.toArray(Column[]::new));
    return new Result(kept, rejected, tokenized);
  }

  /** Executor side: one encoder per JVM, one output row per conversation. */
  static final class Tokenize implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final SftOptions options;

    Tokenize(SftOptions options) {
      this.options = options;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      SftEncoder encoder = SftEncoder.forPath(options.tokenizer());
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          return encode(encoder, rows.next());
        }
      };
    }

    Row encode(SftEncoder encoder, Row row) {
      Conversation c = SparkSchemas.fromRow(row);
      SftEncoder.Encoded e = encoder.encode(c.messages());
      String reject = null;
      if (e.ids().length > options.maxTokens()) {
        if ("skip".equals(options.overLength())) {
          reject = "over max_tokens: " + e.ids().length + " tokens > " + options.maxTokens();
        } else {
          e = e.truncate(options.maxTokens());
        }
      }
      if (reject == null && e.trainable() == 0) {
        reject =
            "no assistant tokens to train on (after truncation to " + options.maxTokens() + ")";
      }
      if (reject != null) {
        return RowFactory.create(
            c.id(),
            c.source(),
            null,
            null,
            e.ids().length,
            reject,
            c.originalId(),
            row.get(2),
            c.metadata());
      }
      List<Integer> ids = new ArrayList<>(e.ids().length);
      List<Byte> mask = new ArrayList<>(e.ids().length);
      for (int i = 0; i < e.ids().length; i++) {
        ids.add(e.ids()[i]);
        mask.add(e.mask()[i]);
      }
      return RowFactory.create(
          c.id(),
          c.source(),
          CollectionConverters.asScala(ids).toSeq(),
          CollectionConverters.asScala(mask).toSeq(),
          e.ids().length,
          null,
          null,
          null,
          null);
    }
  }
}
