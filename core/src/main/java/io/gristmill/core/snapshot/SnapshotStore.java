package io.gristmill.core.snapshot;

import io.gristmill.core.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Versioned snapshots of one dataset on any Hadoop file system (local, {@code hdfs://}, {@code
 * s3a://}):
 *
 * <pre>
 * ROOT/DATASET/snapshots/ID/data/          Parquet, the kept rows
 * ROOT/DATASET/snapshots/ID/rejected/      Parquet, dropped rows with stage and reason
 * ROOT/DATASET/snapshots/ID/manifest.json  written after all data
 * ROOT/DATASET/snapshots/ID/summary.txt    the run's summary table
 * ROOT/DATASET/LATEST                      the id of the newest complete snapshot, written last
 * </pre>
 *
 * A snapshot without {@code manifest.json} is incomplete and never named by {@code LATEST}.
 */
public final class SnapshotStore {
  public static final String MANIFEST = "manifest.json";
  public static final String SUMMARY = "summary.txt";
  public static final String LATEST = "LATEST";
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path datasetDir;
  private final Configuration conf;

  public SnapshotStore(String root, String dataset, Configuration conf) {
    this(new Path(new Path(root), dataset), conf);
  }

  public SnapshotStore(Path datasetDir, Configuration conf) {
    this.datasetDir = datasetDir;
    this.conf = conf;
  }

  public Path datasetDir() {
    return datasetDir;
  }

  /** A new id that sorts after earlier ones: UTC time, then a short random suffix. */
  public static String newSnapshotId(Instant now) {
    return ID_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  public Path snapshotDir(String id) {
    return new Path(new Path(datasetDir, "snapshots"), id);
  }

  public Path dataDir(String id) {
    return new Path(snapshotDir(id), "data");
  }

  public Path rejectedDir(String id) {
    return new Path(snapshotDir(id), "rejected");
  }

  /** A named output folder of a snapshot, e.g. {@code signatures}. */
  public Path outputDir(String id, String name) {
    return new Path(snapshotDir(id), name);
  }

  /**
   * Completes a snapshot: writes the summary, then the manifest, then moves {@code LATEST}. Each
   * file is written under a temporary name and renamed, so a reader never sees half of one.
   */
  public void commit(SnapshotManifest manifest, String summary) {
    String id = manifest.snapshotId();
    try {
      byte[] json = Json.mapper().writeValueAsBytes(manifest);
      writeAtomically(new Path(snapshotDir(id), SUMMARY), summary.getBytes(StandardCharsets.UTF_8));
      writeAtomically(new Path(snapshotDir(id), MANIFEST), json);
      writeAtomically(new Path(datasetDir, LATEST), (id + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw Errors.outputFailed("snapshot " + id, snapshotDir(id).toString(), e);
    }
  }

  /** The id in {@code LATEST}, if the dataset has a complete snapshot. */
  public Optional<String> latest() {
    Path p = new Path(datasetDir, LATEST);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return Optional.empty();
      }
      String id = new String(readAll(fs, p), StandardCharsets.UTF_8).trim();
      return id.isEmpty() ? Optional.empty() : Optional.of(id);
    } catch (IOException e) {
      throw Errors.snapshotNotFound(
          datasetDir.toString(), "LATEST cannot be read: " + e.getMessage());
    }
  }

  public SnapshotManifest readManifest(String id) {
    Path p = new Path(snapshotDir(id), MANIFEST);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw Errors.snapshotNotFound(
            datasetDir.toString(), "snapshot " + id + " has no manifest.json (it is incomplete)");
      }
      return Json.mapper().readValue(readAll(fs, p), SnapshotManifest.class);
    } catch (IOException e) {
      throw Errors.snapshotNotFound(
          datasetDir.toString(), "manifest of " + id + ": " + e.getMessage());
    }
  }

  /** Ids of all complete snapshots (those with a manifest), oldest first. */
  public List<String> completeSnapshots() {
    Path dir = new Path(datasetDir, "snapshots");
    List<String> ids = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir)) {
        return ids;
      }
      for (FileStatus st : fs.listStatus(dir)) {
        if (st.isDirectory() && fs.exists(new Path(st.getPath(), MANIFEST))) {
          ids.add(st.getPath().getName());
        }
      }
    } catch (IOException e) {
      throw Errors.snapshotNotFound(datasetDir.toString(), e.getMessage());
    }
    ids.sort(null);
    return ids;
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    fs.setWriteChecksum(false);
    Path tmp =
        new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try (FSDataOutputStream out = fs.create(tmp, true)) {
      out.write(bytes);
    }
    URI uri = target.toUri();
    if (uri.getScheme() == null
        || "file".equals(uri.getScheme())
        || "hdfs".equals(uri.getScheme())) {
      FileContext.getFileContext(target.toUri(), conf)
          .rename(tmp, target, Options.Rename.OVERWRITE);
    } else {
      // Object stores have no atomic rename-over; delete then rename is the best they offer.
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename of " + tmp + " to " + target + " failed");
      }
    }
  }

  private static byte[] readAll(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return in.readAllBytes();
    }
  }

  /** Writes bytes to a new file (used for small side files such as reports). */
  public void writeFile(Path target, byte[] bytes) {
    try {
      FileSystem fs = target.getFileSystem(conf);
      fs.setWriteChecksum(false);
      try (OutputStream out = fs.create(target, true)) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw Errors.outputFailed("file", target.toString(), e);
    }
  }
}
