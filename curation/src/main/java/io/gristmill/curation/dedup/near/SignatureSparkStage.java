package io.gristmill.curation.dedup.near;

import io.gristmill.core.record.Message;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns conversation rows into near-dedup nodes: id, original id, whether an earlier snapshot kept
 * it ({@code prior}), its {@link RepresentativePolicy.RankKey#sortKey} ({@code key}: the smallest
 * key of a cluster is its representative), MinHash signature, its LSH band keys and, for exact
 * verification, the shingle set. Texts with fewer than {@code min_tokens} words get null signatures
 * and band keys and are never merged.
 */
public final class SignatureSparkStage {
  private SignatureSparkStage() {}

  /** One node per row: what banding, verification and the representative choice need. */
  public static final StructType NODE =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("id", DataTypes.StringType, false),
            DataTypes.createStructField("original_id", DataTypes.StringType, true),
            DataTypes.createStructField("prior", DataTypes.BooleanType, false),
            DataTypes.createStructField("key", DataTypes.StringType, false),
            DataTypes.createStructField("sig", DataTypes.BinaryType, true),
            DataTypes.createStructField("shingles", DataTypes.BinaryType, true),
            DataTypes.createStructField(
                "bands", DataTypes.createArrayType(DataTypes.LongType, false), true)
          });

  /** Nodes of conversation rows ({@code SparkSchemas.CONVERSATION} columns, plus any others). */
  public static Dataset<Row> nodes(Dataset<Row> input, NearDedupConfig cfg) {
    String qualityColumn = cfg.representative().qualityColumn();
    boolean hasQuality = qualityColumn != null && List.of(input.columns()).contains(qualityColumn);
    Dataset<Row> in =
        input.select(
            input.col("id"),
            input.col("source"),
            input.col("messages"),
            input.col("original_id"),
            hasQuality
                ? input.col(qualityColumn).cast(DataTypes.DoubleType).as("quality")
                : org.apache
                    .spark
                    .sql
                    .functions
                    .lit(null)
                    .cast(DataTypes.DoubleType)
                    .as("quality"));
    RepresentativePolicy policy = new RepresentativePolicy(cfg.representative());
    MinHasher hasher = new MinHasher(cfg.numPerm(), cfg.seed());
    LshBanding banding = cfg.banding();
    return in.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            rows -> new NodeIterator(rows, cfg, policy, hasher, banding),
        Encoders.row(NODE));
  }

  /** The node of one row; public for tests and the benchmark. */
  public static Row node(
      String id,
      String originalId,
      String source,
      List<Message> messages,
      Double quality,
      NearDedupConfig cfg,
      RepresentativePolicy policy,
      MinHasher hasher,
      LshBanding banding) {
    String text = TextField.extract(messages, cfg.field());
    WordShingler.Shingles sh = WordShingler.shingles(text, cfg.ngram(), cfg.seed());
    boolean usable = sh.words() >= cfg.minTokens();
    long[] sig = usable ? hasher.signature(sh.hashes()) : null;
    RepresentativePolicy.RankKey k = policy.rank(false, source, quality, text.length(), id);
    return RowFactory.create(
        id,
        originalId,
        false,
        k.sortKey(),
        LongBytes.toBytes(sig),
        usable && cfg.exactVerify() ? LongBytes.toBytes(sh.hashes()) : null,
        sig == null ? null : boxed(banding.bandKeys(sig)));
  }

  /** Band keys as Spark's external type for {@code array<bigint>}. */
  static scala.collection.immutable.Seq<Long> boxed(long[] keys) {
    List<Long> out = new ArrayList<>(keys.length);
    for (long k : keys) {
      out.add(k);
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(out).toList();
  }

  private static final class NodeIterator implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final NearDedupConfig cfg;
    private final RepresentativePolicy policy;
    private final MinHasher hasher;
    private final LshBanding banding;

    NodeIterator(
        Iterator<Row> rows,
        NearDedupConfig cfg,
        RepresentativePolicy policy,
        MinHasher hasher,
        LshBanding banding) {
      this.banding = banding;
      this.rows = rows;
      this.cfg = cfg;
      this.policy = policy;
      this.hasher = hasher;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Row next() {
      Row r = rows.next();
      List<Row> ms = r.getList(2);
      List<Message> messages = new ArrayList<>(ms.size());
      for (Row m : ms) {
        messages.add(new Message(m.getString(0), m.getString(1)));
      }
      Double q = r.isNullAt(4) ? null : r.getDouble(4);
      return node(
          r.getString(0),
          r.getString(3),
          r.getString(1),
          messages,
          q,
          cfg,
          policy,
          hasher,
          banding);
    }
  }
}
