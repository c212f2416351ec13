package io.gristmill.bridge.shard;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import io.gristmill.core.Errors;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Writes a DataFrame as Arrow IPC shards with a manifest. Rows are assigned to shards by a seeded
 * hash of their id and sorted inside a shard by a second seeded hash, so two runs over the same
 * rows write byte-identical shards whatever the input's partitioning. Each shard is written by one
 * task (rows never reach the driver); the driver only receives one small {@link ShardFile} per
 * shard, verifies and renames the files, and writes {@code manifest.json} last.
 */
public final class ShardWriterSparkStage {
  private ShardWriterSparkStage() {}

  /**
   * @param rows rows with (at least) the columns of {@link ShardSchemas#of(ShardSchemas.Kind)},
   *     cast to the shard types here
   * @param id the row's unique, stable id (e.g. {@code col("id")}); it decides shard and order
   * @param outputDir the shard directory (any Hadoop file system); must not hold a manifest
   * @param lineage lineage to record; its {@code createdAt} is replaced by the publication time
   * @return the published manifest
   */
  public static ShardManifest write(
      Dataset<Row> rows,
      ShardSchemas.Kind kind,
      Column id,
      ShardWriteOptions options,
      String outputDir,
      ShardManifest.Lineage lineage) {
    Schema schema = ShardSchemas.of(kind);
    Path dir = new Path(outputDir);
    try {
      FileSystem fs =
          rawIfLocal(dir.getFileSystem(rows.sparkSession().sparkContext().hadoopConfiguration()));
      ShardPublisher publisher = new ShardPublisher(fs, dir);
      publisher.prepare();

      List<Column> cols = new ArrayList<>();
      Column estimate = lit(0L);
      for (Field f : schema.getFields()) {
        cols.add(col(f.getName()).cast(sparkType(f)).as(f.getName()));
        estimate = estimate.plus(estimatedBytes(f));
      }
      Dataset<Row> typed = rows.select(cols.toArray(Column[]::new)).withColumn("__id", id);
      Row stats = typed.agg(count(lit(1)), coalesce(sum(estimate), lit(0L))).first();
      int shards = options.shardCount(stats.getLong(0), stats.getLong(1));

      Dataset<Row> keyed =
          typed
              .withColumn(
                  "__shard",
                  pmod(xxhash64(lit(options.seed()), col("__id")), lit((long) shards)).cast("int"))
              .withColumn("__order", xxhash64(lit(options.seed()), lit("order"), col("__id")))
              .repartition(shards, col("__shard"))
              .sortWithinPartitions(col("__shard"), col("__order"), col("__id"));
      List<Column> out = new ArrayList<>();
      for (Field f : schema.getFields()) {
        out.add(col(f.getName()));
      }
      out.add(col("__shard"));
      Dataset<Row> ordered = keyed.select(out.toArray(Column[]::new));

      String tmp =
          new Path(new Path(dir, ShardPublisher.TMP), UUID.randomUUID().toString()).toString();
      List<ShardFile> files =
          ordered
              .queryExecution()
              .toRdd()
              .toJavaRDD()
              .mapPartitions(
                  new PartitionShardWriter(
                      kind,
                      options.batchRows(),
                      options.compression(),
                      tmp,
                      new org.apache.spark.util.SerializableConfiguration(
                          rows.sparkSession().sparkContext().hadoopConfiguration())))
              .collect();
      List<ShardManifest.Shard> published = publisher.publishShards(files);
      ShardManifest manifest = manifest(kind, options, published, files, lineage);
      publisher.publishManifest(manifest);
      return manifest;
    } catch (IOException e) {
      throw Errors.outputFailed("shards", outputDir, e);
    }
  }

  private static ShardManifest manifest(
      ShardSchemas.Kind kind,
      ShardWriteOptions options,
      List<ShardManifest.Shard> shards,
      List<ShardFile> files,
      ShardManifest.Lineage lineage)
      throws IOException {
    long rows = 0;
    long bytes = 0;
    long tokens = 0;
    long trainable = 0;
    long min = Long.MAX_VALUE;
    long max = 0;
    for (ShardFile f : files) {
      rows += f.rows();
      bytes += f.bytes();
      tokens += f.tokens();
      trainable += f.trainableTokens();
      min = Math.min(min, f.minTokens());
      max = Math.max(max, f.maxTokens());
    }
    ShardManifest.TokenStats ts =
        new ShardManifest.TokenStats(
            tokens, trainable, rows == 0 ? 0 : min, max, rows == 0 ? 0 : (double) tokens / rows);
    ShardManifest.Lineage lin =
        new ShardManifest.Lineage(
            lineage.inputPath(),
            lineage.inputSnapshotId(),
            lineage.config(),
            lineage.codeVersion(),
            Instant.now().toString());
    return new ShardManifest(
        ShardManifest.FORMAT_VERSION,
        kind.code(),
        ShardSchemas.VERSION,
        io.gristmill.core.snapshot.Json.mapper()
            .readTree(ShardSchemas.of(kind, options.compression()).toJson()),
        options.batchRows(),
        options.compression(),
        options.seed(),
        shards,
        new ShardManifest.Totals(shards.size(), rows, bytes),
        ts,
        lin);
  }

  /** The raw local file system for {@code file:} paths, so no {@code .crc} side files appear. */
  static FileSystem rawIfLocal(FileSystem fs) {
    return fs instanceof LocalFileSystem l ? l.getRawFileSystem() : fs;
  }

  private static DataType sparkType(Field f) {
    ArrowType t = f.getType();
    if (t instanceof ArrowType.List) {
      return DataTypes.createArrayType(sparkType(f.getChildren().get(0)), true);
    }
    if (t instanceof ArrowType.Struct) {
      List<org.apache.spark.sql.types.StructField> fs = new ArrayList<>();
      for (Field c : f.getChildren()) {
        fs.add(DataTypes.createStructField(c.getName(), sparkType(c), true));
      }
      return DataTypes.createStructType(fs);
    }
    if (t instanceof ArrowType.Utf8) {
      return DataTypes.StringType;
    }
    if (t instanceof ArrowType.Int i) {
      return switch (i.getBitWidth()) {
        case 8 -> DataTypes.ByteType;
        case 32 -> DataTypes.IntegerType;
        default -> DataTypes.LongType;
      };
    }
    if (t instanceof ArrowType.FloatingPoint fp) {
      return fp.getPrecision() == org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE
          ? DataTypes.FloatType
          : DataTypes.DoubleType;
    }
    throw new IllegalArgumentException("unsupported shard type " + t);
  }

  private static Column estimatedBytes(Field f) {
    ArrowType t = f.getType();
    if (t instanceof ArrowType.List
        && f.getChildren().get(0).getType() instanceof ArrowType.Struct) {
      // chat turns: estimate from the text lengths
      String name = f.getName();
      return coalesce(
              org.apache.spark.sql.functions.expr(
                  "aggregate("
                      + name
                      + ", 0L, (acc, m) -> acc + length(m.role) + length(m.content)"
                      + " + 8)"),
              lit(0L))
          .plus(4);
    }
    if (t instanceof ArrowType.List) {
      int w = ((ArrowType.Int) intOrFloat(f.getChildren().get(0).getType())).getBitWidth() / 8;
      return coalesce(size(col(f.getName())), lit(0)).multiply(w).plus(4);
    }
    if (t instanceof ArrowType.Utf8) {
      return coalesce(length(col(f.getName())), lit(0)).plus(4);
    }
    return lit(t instanceof ArrowType.Int i ? i.getBitWidth() / 8 : 4);
  }

  private static ArrowType intOrFloat(ArrowType t) {
    return t instanceof ArrowType.FloatingPoint ? new ArrowType.Int(32, true) : t;
  }
}
