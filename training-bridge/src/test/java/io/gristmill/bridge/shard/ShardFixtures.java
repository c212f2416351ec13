package io.gristmill.bridge.shard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/** Small shard datasets built by the tests themselves. */
public final class ShardFixtures {
  private ShardFixtures() {}

  public static final StructType SFT_ROWS =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("input_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("loss_mask", DataTypes.createArrayType(DataTypes.ByteType, false), false)
          .add("num_tokens", DataTypes.IntegerType, false);

  /** Row {@code i}: id {@code r00i}, {@code i % 5 + 1} tokens valued {@code i*10+k}. */
  public static Dataset<Row> sftRows(SparkSession spark, int n, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = i % 5 + 1;
      List<Integer> ids = new ArrayList<>();
      List<Byte> mask = new ArrayList<>();
      for (int k = 0; k < len; k++) {
        ids.add(i * 10 + k);
        mask.add((byte) (k % 2));
      }
      rows.add(
          RowFactory.create(
              String.format("r%05d", i),
              i % 3 == 0 ? "alpha" : "beta",
              CollectionConverters.asScala(ids).toSeq(),
              CollectionConverters.asScala(mask).toSeq(),
              len));
    }
    return spark.createDataFrame(rows, SFT_ROWS).repartition(partitions);
  }

  public static ShardManifest writeSft(
      SparkSession spark, Path dir, int n, int shards, int partitions, int batchRows) {
    return writeSft(spark, dir, n, shards, partitions, batchRows, "none");
  }

  /** As above, with Arrow buffer compression {@code compression} (none, lz4 or zstd). */
  public static ShardManifest writeSft(
      SparkSession spark,
      Path dir,
      int n,
      int shards,
      int partitions,
      int batchRows,
      String compression) {
    return ShardWriterSparkStage.write(
        sftRows(spark, n, partitions),
        ShardSchemas.Kind.SFT,
        functions.col("id"),
        new ShardWriteOptions(null, null, shards, batchRows, 7L, compression),
        dir.toString(),
        new ShardManifest.Lineage("test-input", null, null, "test", null));
  }
}
