package io.gristmill.bridge.shard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The {@code manifest.json} of a shard directory, written last: its presence means every shard it
 * lists was written, verified and renamed to its final name.
 *
 * @param formatVersion manifest format ({@link #FORMAT_VERSION})
 * @param kind {@code sft} or {@code rl} ({@link ShardSchemas.Kind#code()})
 * @param schemaVersion the shard schema version ({@link ShardSchemas#VERSION})
 * @param schema the Arrow schema as Arrow's JSON form
 * @param batchRows rows per record batch (every batch but a shard's last has exactly this many)
 * @param compression Arrow IPC buffer compression: {@code none}, {@code lz4} (LZ4 frame) or {@code
 *     zstd}
 * @param seed the seed of the row-to-shard hash
 * @param shards every shard, in shard-number order
 * @param totals sums over the shards
 * @param tokens token statistics
 * @param lineage where the rows came from and with which config and code
 */
public record ShardManifest(
    int formatVersion,
    String kind,
    int schemaVersion,
    JsonNode schema,
    int batchRows,
    String compression,
    long seed,
    List<Shard> shards,
    Totals totals,
    TokenStats tokens,
    Lineage lineage) {
  public static final int FORMAT_VERSION = 1;
  public static final String FILE = "manifest.json";

  public ShardManifest {
    shards = List.copyOf(shards);
  }

  /** One published shard: its file name relative to the directory, rows, size and checksum. */
  public record Shard(String path, long rows, long bytes, String sha256) {}

  public record Totals(long shards, long rows, long bytes) {}

  /** Token counts over all rows; {@code trainable} counts loss-mask 1s (SFT) or response tokens. */
  public record TokenStats(
      long total, long trainable, long minPerRow, long maxPerRow, double mean) {}

  /**
   * @param inputPath the snapshot data folder read
   * @param inputSnapshotId the input snapshot's id, or null when not known
   * @param config the effective export config as JSON
   * @param codeVersion the Gristmill version that wrote the shards
   * @param createdAt ISO-8601 UTC time of publication
   */
  public record Lineage(
      String inputPath,
      String inputSnapshotId,
      JsonNode config,
      String codeVersion,
      String createdAt) {}
}
