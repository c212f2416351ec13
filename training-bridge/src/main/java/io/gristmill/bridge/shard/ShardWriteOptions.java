package io.gristmill.bridge.shard;

import io.gristmill.core.config.Check;
import java.util.List;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * How rows become shards. The shard count is {@code num_shards} when set (&gt; 0), else the larger
 * of {@code ceil(rows / target_rows)} and {@code ceil(estimated bytes / target_bytes)} (each used
 * only when &gt; 0), at least 1. Rows go to shard {@code pmod(xxhash64(seed, id), shards)} and are
 * ordered inside a shard by {@code xxhash64(seed, "order", id)} then id, so the output depends only
 * on the rows and these options, never on Spark's partitioning.
 *
 * @param targetRows rows per shard to aim for (0: unused)
 * @param targetBytes bytes per shard to aim for (0: unused)
 * @param numShards an exact shard count (0: derive from the targets)
 * @param batchRows rows per Arrow record batch
 * @param seed seed of the row-to-shard hash
 * @param compression Arrow IPC buffer compression: {@code none} (default), {@code lz4} (LZ4 frame)
 *     or {@code zstd}; recorded in the manifest and in every shard's schema metadata. Arrow JS
 *     cannot read compressed buffers; pyarrow and the Java reader can.
 */
public record ShardWriteOptions(
    Long targetRows,
    Long targetBytes,
    Integer numShards,
    Integer batchRows,
    Long seed,
    String compression) {
  /** The accepted {@code compression} values. */
  public static final List<String> COMPRESSIONS = List.of("none", "lz4", "zstd");

  public ShardWriteOptions {
    targetRows = Check.longInRange("target_rows", targetRows, 0L, 0L, Long.MAX_VALUE);
    targetBytes =
        Check.longInRange("target_bytes", targetBytes, 256L * 1024 * 1024, 0L, Long.MAX_VALUE);
    numShards = Check.intInRange("num_shards", numShards, 0, 0, 100_000);
    batchRows = Check.intInRange("batch_rows", batchRows, 1024, 1, 1 << 20);
    seed = Check.orDefault(seed, 0L);
    compression = Check.oneOf("compression", compression, "none", COMPRESSIONS);
  }

  /** Uncompressed shards. */
  public ShardWriteOptions(
      Long targetRows, Long targetBytes, Integer numShards, Integer batchRows, Long seed) {
    this(targetRows, targetBytes, numShards, batchRows, seed, null);
  }

  public static ShardWriteOptions defaults() {
    return new ShardWriteOptions(null, null, null, null, null, null);
  }

  /** These options with another {@code compression}. */
  public ShardWriteOptions withCompression(String codec) {
    return new ShardWriteOptions(targetRows, targetBytes, numShards, batchRows, seed, codec);
  }

  /** The Arrow codec of a {@link #COMPRESSIONS} value. */
  static CompressionUtil.CodecType codecType(String compression) {
    return switch (compression) {
      case "lz4" -> CompressionUtil.CodecType.LZ4_FRAME;
      case "zstd" -> CompressionUtil.CodecType.ZSTD;
      case "none" -> CompressionUtil.CodecType.NO_COMPRESSION;
      default -> throw new IllegalArgumentException("unknown compression " + compression);
    };
  }

  /** The shard count for {@code rows} rows of about {@code bytes} bytes in all. */
  public int shardCount(long rows, long bytes) {
    if (numShards > 0) {
      return numShards;
    }
    long n = 1;
    if (targetRows > 0) {
      n = Math.max(n, (rows + targetRows - 1) / targetRows);
    }
    if (targetBytes > 0) {
      n = Math.max(n, (bytes + targetBytes - 1) / targetBytes);
    }
    return (int) Math.min(n, 100_000);
  }
}
