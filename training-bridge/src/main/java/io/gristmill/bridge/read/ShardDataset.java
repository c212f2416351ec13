package io.gristmill.bridge.read;

import io.gristmill.bridge.shard.ManifestIO;
import io.gristmill.bridge.shard.ShardManifest;
import io.gristmill.core.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A published shard directory, opened for reading. Opening reads {@code manifest.json} (a directory
 * without one is refused), checks that every shard exists with its recorded size and, when asked,
 * its SHA-256. {@link #epoch} gives one rank's batches of one epoch. Close it to free the Arrow
 * memory of all iterators it made; closing fails if an iterator leaked buffers.
 */
public final class ShardDataset implements AutoCloseable {
  private final Path dir;
  private final ShardManifest manifest;
  private final Schema schema;
  private final BufferAllocator allocator;
  private final long[] shardRows;
  private final List<String> files = new ArrayList<>();

  private ShardDataset(Path dir, ShardManifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
    try {
      this.schema = Schema.fromJSON(manifest.schema().toString());
    } catch (IOException e) {
      throw Errors.shardManifestUnreadable(dir.resolve(ShardManifest.FILE).toString(), e);
    }
    this.shardRows = new long[manifest.shards().size()];
    for (int i = 0; i < shardRows.length; i++) {
      shardRows[i] = manifest.shards().get(i).rows();
      files.add(manifest.shards().get(i).path());
    }
    this.allocator = new RootAllocator();
  }

  /**
   * Opens {@code dir}.
   *
   * @param verifyChecksums also recompute every shard's SHA-256 (reads all bytes once)
   * @throws io.gristmill.core.GristmillException when the manifest is missing or a shard is
   *     missing, has another size, or (with {@code verifyChecksums}) another checksum
   */
  public static ShardDataset open(Path dir, boolean verifyChecksums) {
    ShardManifest m = ManifestIO.read(dir);
    for (ShardManifest.Shard s : m.shards()) {
      verify(dir.resolve(s.path()), s, verifyChecksums);
    }
    return new ShardDataset(dir, m);
  }

  static void verify(Path p, ShardManifest.Shard s, boolean checksum) {
    try {
      if (!Files.isRegularFile(p)) {
        throw Errors.shardCorrupt(p.toString(), "the file listed in manifest.json is missing");
      }
      long size = Files.size(p);
      if (size != s.bytes()) {
        throw Errors.shardCorrupt(
            p.toString(), "size is " + size + " bytes but the manifest says " + s.bytes());
      }
      if (checksum) {
        String actual = sha256(p);
        if (!actual.equals(s.sha256())) {
          throw Errors.shardCorrupt(
              p.toString(), "sha256 is " + actual + " but the manifest says " + s.sha256());
        }
      }
    } catch (IOException e) {
      throw Errors.shardCorrupt(p.toString(), "it cannot be read (" + e.getMessage() + ")");
    }
  }

  static String sha256(Path p) throws IOException {
    MessageDigest md = io.gristmill.core.text.StableIds.sha256();
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(p)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  public ShardManifest manifest() {
    return manifest;
  }

  public Schema schema() {
    return schema;
  }

  public long rows() {
    return manifest.totals().rows();
  }

  /**
   * One rank's batches of epoch {@code state.epoch()}, starting after {@code state.position()} rows
   * of that epoch.
   */
  public BatchIterator epoch(ReaderOptions options, ReaderState state) {
    ReadPlan plan = new ReadPlan(shardRows, options, state.epoch());
    BufferAllocator child =
        allocator.newChildAllocator("epoch-" + state.epoch(), 0, Long.MAX_VALUE);
    try {
      ShardSource source = new ShardSource(dir, files, manifest.batchRows(), child);
      return new BatchIterator(source, schema, plan, options, state, child);
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      allocator.close();
    } catch (IllegalStateException e) {
      throw new UncheckedIOException(new IOException("Arrow memory leaked: " + e.getMessage(), e));
    }
  }
}
