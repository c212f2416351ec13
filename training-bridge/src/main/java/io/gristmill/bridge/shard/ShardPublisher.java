package io.gristmill.bridge.shard;

import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Driver-side publication of shards: checks the output directory, verifies each written file (size
 * and Arrow footer magic), renames the files to their final names, and writes {@code manifest.json}
 * last under a temporary name followed by a rename. A reader therefore sees either no manifest (and
 * refuses the directory) or a complete, verified dataset.
 */
final class ShardPublisher {
  private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
  static final String TMP = "_tmp";

  private final FileSystem fs;
  private final Path dir;

  ShardPublisher(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  /** Refuses a directory with a manifest; clears leftovers of an earlier, unfinished run. */
  void prepare() throws IOException {
    if (fs.exists(new Path(dir, ShardManifest.FILE))) {
      throw Errors.shardOutputExists(dir.toString());
    }
    if (fs.exists(dir)) {
      for (FileStatus st : fs.listStatus(dir)) {
        String name = st.getPath().getName();
        if (name.startsWith("shard-") || name.equals(TMP) || name.startsWith("_manifest")) {
          fs.delete(st.getPath(), true);
        }
      }
    } else {
      fs.mkdirs(dir);
    }
  }

  /** Verifies and renames the shards; returns the manifest entries in shard order. */
  List<ShardManifest.Shard> publishShards(List<ShardFile> files) throws IOException {
    List<ShardFile> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparingInt(ShardFile::index));
    List<ShardManifest.Shard> shards = new ArrayList<>();
    for (ShardFile f : sorted) {
      Path tmp = new Path(f.tempPath());
      verify(tmp, f);
      String name = ShardFile.fileName(f.index());
      Path target = new Path(dir, name);
      if (!fs.rename(tmp, target)) {
        throw Errors.outputFailed("shard " + name, target.toString(), null);
      }
      shards.add(new ShardManifest.Shard(name, f.rows(), f.bytes(), f.sha256()));
    }
    fs.delete(new Path(dir, TMP), true);
    return shards;
  }

  private void verify(Path p, ShardFile f) throws IOException {
    FileStatus st = fs.getFileStatus(p);
    if (st.getLen() != f.bytes()) {
      throw Errors.shardCorrupt(
          p.toString(), "size is " + st.getLen() + " bytes but the writer wrote " + f.bytes());
    }
    byte[] tail = new byte[MAGIC.length];
    try (FSDataInputStream in = fs.open(p)) {
      in.readFully(st.getLen() - MAGIC.length, tail);
    }
    if (!java.util.Arrays.equals(tail, MAGIC)) {
      throw Errors.shardCorrupt(p.toString(), "the Arrow file footer is missing");
    }
  }

  /** Writes the manifest under a temporary name, then renames it: the publication point. */
  void publishManifest(ShardManifest manifest) throws IOException {
    Path tmp = new Path(dir, "_manifest.json.tmp");
    try (FSDataOutputStream out = fs.create(tmp, true)) {
      out.write(Json.mapper().writeValueAsBytes(manifest));
    }
    if (!fs.rename(tmp, new Path(dir, ShardManifest.FILE))) {
      throw Errors.outputFailed("manifest", dir.toString(), null);
    }
  }
}
