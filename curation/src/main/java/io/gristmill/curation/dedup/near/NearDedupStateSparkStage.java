package io.gristmill.curation.dedup.near;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.core.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Near-dedup state saved with a snapshot: the MinHash signatures (and, for exact verification, the
 * shingle sets) of every row kept so far, in {@code <dir>/signatures} (Parquet, sorted by id) and
 * the parameters they were built with in {@code <dir>/params.json}. A later run loads it and dedups
 * new rows against it without recomputing old ones. Works on any Hadoop file system.
 */
public final class NearDedupStateSparkStage {
  public static final StructType STATE =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("id", DataTypes.StringType, false),
            DataTypes.createStructField("original_id", DataTypes.StringType, true),
            DataTypes.createStructField("sig", DataTypes.BinaryType, false),
            DataTypes.createStructField("shingles", DataTypes.BinaryType, true)
          });

  private static final ObjectMapper JSON = new ObjectMapper();

  private NearDedupStateSparkStage() {}

  static Column[] stateColumns() {
    return new Column[] {col("id"), col("original_id"), col("sig"), col("shingles")};
  }

  /** Parquet files of saved signatures. */
  static final int STATE_FILES = 4;

  /** The parameters that must match for signatures to be comparable, in a fixed order. */
  static Map<String, String> params(NearDedupConfig cfg) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("hash", MinHasher.FAMILY);
    p.put("field", cfg.field());
    p.put("ngram", String.valueOf(cfg.ngram()));
    p.put("num_perm", String.valueOf(cfg.numPerm()));
    p.put("seed", String.valueOf(cfg.seed()));
    p.put("verify", cfg.verify());
    return p;
  }

  /** Writes {@code state} (from {@link NearDedupResult#state()}) to {@code dir}, replacing it. */
  public static void write(Dataset<Row> state, NearDedupConfig cfg, String dir) {
    String sigPath = dir + "/signatures";
    try {
      Path p = new Path(dir, "params.json");
      FileSystem fs = p.getFileSystem(state.sparkSession().sparkContext().hadoopConfiguration());
      fs.delete(new Path(sigPath), true);
      // Placed by a hash of the id into a fixed number of files, each sorted by id, with
      // deterministic names and canonical footers: two runs over the same rows write the same
      // bytes (a global sort's range partitions depend on Spark's sampling).
      io.gristmill.core.spark.DeterministicParquet.write(
          state.select(stateColumns()), sigPath, STATE_FILES, "id", "id");
      ObjectNode n = JSON.createObjectNode();
      params(cfg).forEach(n::put);
      try (FSDataOutputStream out = fs.create(p, true)) {
        out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
      }
    } catch (IOException e) {
      throw Errors.outputFailed("near-dedup state", dir, e);
    }
  }

  /**
   * Loads the state in {@code dir}; fails with {@link Errors#nearDedupStateMismatch} when it was
   * built with other parameters than {@code cfg}.
   */
  public static Dataset<Row> load(SparkSession spark, String dir, NearDedupConfig cfg) {
    Path p = new Path(dir, "params.json");
    JsonNode saved;
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw Errors.inputNotFound("near-dedup state", p.toString());
      }
      try (FSDataInputStream in = fs.open(p)) {
        saved = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw Errors.inputUnreadable("near-dedup state", p.toString(), e);
    }
    String family = saved.path("hash").asText(null);
    if (!MinHasher.FAMILY.equals(family)) {
      throw Errors.nearDedupStateHashFamily(dir, family, MinHasher.FAMILY);
    }
    for (Map.Entry<String, String> e : params(cfg).entrySet()) {
      String was = saved.path(e.getKey()).asText(null);
      if (!e.getValue().equals(was)) {
        throw Errors.nearDedupStateMismatch(dir, e.getKey(), String.valueOf(was), e.getValue());
      }
    }
    return spark.read().schema(STATE).parquet(dir + "/signatures");
  }

  /**
   * State rows as nodes that always win the representative choice (their sort key has {@code prior}
   * 0 and the id as tie-break), band keys recomputed.
   */
  static Dataset<Row> asPriorNodes(Dataset<Row> state, LshBanding banding) {
    UDF1<byte[], long[]> keys =
        sig -> sig == null ? null : banding.bandKeys(LongBytes.toLongs(sig));
    UserDefinedFunction bands = udf(keys, DataTypes.createArrayType(DataTypes.LongType, false));
    String keyPrefix = new RepresentativePolicy.RankKey(0, 0, Double.MAX_VALUE, 0L, "").sortKey();
    return state.select(
        col("id"),
        col("original_id"),
        lit(true).as("prior"),
        concat(lit(keyPrefix), col("id")).as("key"),
        col("sig"),
        col("shingles"),
        bands.apply(col("sig")).as("bands"));
  }
}
