package io.gristmill.bridge;

import io.gristmill.bridge.read.ShardDataset;
import io.gristmill.bridge.shard.ShardManifest;
import io.gristmill.core.Errors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/** {@code gristmill inspect DIR}: a printable summary of a published shard directory. */
public final class ShardInspector {
  private static final int SHOWN = 20;

  private ShardInspector() {}

  /**
   * Reads the manifest, checks every shard's size and, with {@code verifyChecksums}, its SHA-256
   * and that every record batch decodes (compressed ones included) to the manifest's row count, and
   * returns a summary.
   *
   * @throws io.gristmill.core.GristmillException when the manifest is missing or a shard fails a
   *     check (the message names the shard)
   */
  public static String inspect(Path shardDir, boolean verifyChecksums) {
    try (ShardDataset ds = ShardDataset.open(shardDir, verifyChecksums)) {
      ShardManifest m = ds.manifest();
      if (verifyChecksums) {
        for (ShardManifest.Shard s : m.shards()) {
          decode(shardDir.resolve(s.path()), s.rows());
        }
      }
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "shard directory %s%n", shardDir));
      sb.append(
          String.format(
              Locale.ROOT,
              "  kind: %s (schema v%d, manifest v%d), compression %s%n",
              m.kind(),
              m.schemaVersion(),
              m.formatVersion(),
              m.compression()));
      sb.append(
          String.format(
              Locale.ROOT,
              "  rows: %d in %d shards, %.1f MB, %d rows per batch%n",
              m.totals().rows(),
              m.totals().shards(),
              m.totals().bytes() / 1e6,
              m.batchRows()));
      ShardManifest.TokenStats t = m.tokens();
      sb.append(
          String.format(
              Locale.ROOT,
              "  tokens: %d (trained %d), per row min %d / mean %.1f / max %d%n",
              t.total(),
              t.trainable(),
              t.minPerRow(),
              t.mean(),
              t.maxPerRow()));
      ShardManifest.Lineage l = m.lineage();
      sb.append(
          String.format(
              Locale.ROOT,
              "  input: %s (snapshot %s), written %s by %s%n",
              l.inputPath(),
              l.inputSnapshotId() == null ? "-" : l.inputSnapshotId(),
              l.createdAt(),
              l.codeVersion()));
      sb.append(
          String.format(
              Locale.ROOT,
              "  columns: %s%n",
              String.join(
                  ", ",
                  ds.schema().getFields().stream()
                      .map(f -> f.getName() + ":" + f.getType())
                      .toList())));
      sb.append(
          String.format(
              Locale.ROOT,
              "  checksums: %s%n",
              verifyChecksums
                  ? "all " + m.shards().size() + " verified, every batch decoded"
                  : "sizes checked (not hashed)"));
      int i = 0;
      for (ShardManifest.Shard s : m.shards()) {
        if (i++ == SHOWN) {
          sb.append(
              String.format(Locale.ROOT, "  ... %d more shards%n", m.shards().size() - SHOWN));
          break;
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "  %s  %8d rows  %10d bytes  %s%n",
                s.path(),
                s.rows(),
                s.bytes(),
                s.sha256().substring(0, 16)));
      }
      return sb.toString();
    }
  }

  /** Loads every record batch of one shard, decompressing it, and checks the row count. */
  private static void decode(Path shard, long expectedRows) {
    long rows = 0;
    try (BufferAllocator allocator = new RootAllocator();
        FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ);
        ArrowFileReader reader =
            new ArrowFileReader(ch, allocator, CommonsCompressionFactory.INSTANCE)) {
      for (ArrowBlock block : reader.getRecordBlocks()) {
        reader.loadRecordBatch(block);
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
    } catch (IOException | RuntimeException e) {
      throw Errors.shardCorrupt(
          shard.toString(), "its record batches cannot be decoded (" + e.getMessage() + ")");
    }
    if (rows != expectedRows) {
      throw Errors.shardCorrupt(
          shard.toString(), "it holds " + rows + " rows but the manifest says " + expectedRows);
    }
  }
}
