package io.gristmill.core.snapshot;

import io.gristmill.core.Errors;
import io.gristmill.core.GristmillException;
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
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * A snapshot without {@code manifest.json} is incomplete and never named by {@code LATEST}. {@code
 * LATEST} is read without Hadoop's {@code .crc} side files (a hand-edited one still reads) and is
 * checked to name a complete snapshot of this dataset. Small files are published by a temporary
 * file and an atomic rename, or, on object stores ({@link SnapshotPolicy#pointerPublication}), by
 * one single-stream write each ({@link #publishFile}).
 */
public final class SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
  public static final String MANIFEST = "manifest.json";
  public static final String SUMMARY = "summary.txt";
  public static final String LATEST = "LATEST";
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** A dataset name or snapshot id: one path segment, never {@code .} or {@code ..}. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private final Path datasetDir;
  private final Configuration conf;
  private final boolean pointer;

  /** The store of {@code ROOT/DATASET}; fails (exit 2) when {@code dataset} is not one name. */
  public SnapshotStore(String root, String dataset, Configuration conf) {
    this(new Path(new Path(root), checkDatasetName(dataset)), conf);
  }

  public SnapshotStore(Path datasetDir, Configuration conf) {
    this(datasetDir, conf, SnapshotPolicy.defaults().pointerPublication(datasetDir.toUri()));
  }

  private SnapshotStore(Path datasetDir, Configuration conf, boolean pointer) {
    this.datasetDir = datasetDir;
    this.conf = conf;
    this.pointer = pointer;
  }

  /** This store publishing as {@code policy} says. */
  public SnapshotStore withPolicy(SnapshotPolicy policy) {
    return new SnapshotStore(datasetDir, conf, policy.pointerPublication(datasetDir.toUri()));
  }

  /** Whether small files are published by single writes rather than rename. */
  public boolean pointerPublication() {
    return pointer;
  }

  /** Whether {@code name} is a valid dataset name or snapshot id (one path segment). */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** {@code dataset}, or a config error (exit 2) when it is not a valid name. */
  public static String checkDatasetName(String dataset) {
    if (!isValidName(dataset)) {
      throw Errors.datasetNameInvalid(String.valueOf(dataset));
    }
    return dataset;
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
   * file is published whole ({@link #publishFile}), so a reader never sees half of one.
   */
  public void commit(SnapshotManifest manifest, String summary) {
    String id = manifest.snapshotId();
    try {
      byte[] json = Json.mapper().writeValueAsBytes(manifest);
      Path summaryFile = new Path(snapshotDir(id), SUMMARY);
      PublishFaults.at("summary", summaryFile.toString());
      publishFile(summaryFile, summary.getBytes(StandardCharsets.UTF_8));
      Path manifestFile = new Path(snapshotDir(id), MANIFEST);
      PublishFaults.at("manifest", manifestFile.toString());
      publishFile(manifestFile, json);
      Path latest = new Path(datasetDir, LATEST);
      PublishFaults.at("latest", latest.toString());
      publishFile(latest, (id + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      GristmillException env =
          Errors.fromEnvironment(e, "snapshot " + id, snapshotDir(id).toString());
      throw env != null
          ? env
          : Errors.outputFailed("snapshot " + id, snapshotDir(id).toString(), e);
    }
  }

  /**
   * The id in {@code LATEST}, if the dataset has a complete snapshot. Fails (exit 3) when {@code
   * LATEST} holds anything but the id of a complete snapshot in this dataset's {@code snapshots/}.
   */
  public Optional<String> latest() {
    Path p = new Path(datasetDir, LATEST);
    byte[] bytes;
    try {
      FileSystem fs = raw(p.getFileSystem(conf));
      if (!fs.exists(p)) {
        return Optional.empty();
      }
      bytes = readAll(fs, p);
    } catch (IOException e) {
      throw Errors.snapshotNotFound(
          datasetDir.toString(), "LATEST cannot be read: " + e.getMessage());
    }
    String id = new String(bytes, StandardCharsets.UTF_8).trim();
    if (id.isEmpty()) {
      return Optional.empty();
    }
    if (bytes.length > 256 || !isValidName(id)) {
      throw Errors.latestInvalid(
          datasetDir.toString(), printable(id), "is not a snapshot id (one folder name)");
    }
    if (!exists(new Path(snapshotDir(id), MANIFEST))) {
      throw Errors.latestInvalid(
          datasetDir.toString(),
          id,
          "names no complete snapshot of this dataset (snapshots/"
              + id
              + "/manifest.json is"
              + " missing)");
    }
    return Optional.of(id);
  }

  /** The id in {@code LATEST}; fails (exit 3) when no snapshot was completed. */
  public String requireLatest() {
    return latest()
        .orElseThrow(
            () ->
                Errors.snapshotNotFound(
                    datasetDir.toString(), "it has no LATEST file, so no snapshot was completed"));
  }

  public SnapshotManifest readManifest(String id) {
    if (!isValidName(id)) {
      throw Errors.snapshotNotFound(
          datasetDir.toString(), "'" + printable(id) + "' is not a snapshot id");
    }
    Path p = new Path(snapshotDir(id), MANIFEST);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw Errors.snapshotNotFound(
            datasetDir.toString(), "snapshot " + id + " has no manifest.json (it is incomplete)");
      }
      return Json.mapper().readValue(readAll(raw(fs), p), SnapshotManifest.class);
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

  /**
   * Removes what runs that died or failed left behind: snapshot folders without a manifest and
   * temporary files of the publication. Call only while holding the {@link DatasetLock}, so that no
   * other run is writing.
   *
   * @return the removed paths
   */
  public List<String> cleanStale() {
    List<String> removed = new ArrayList<>();
    try {
      FileSystem fs = datasetDir.getFileSystem(conf);
      if (!fs.exists(datasetDir)) {
        return removed;
      }
      Path snaps = new Path(datasetDir, "snapshots");
      if (fs.exists(snaps)) {
        for (FileStatus st : fs.listStatus(snaps)) {
          if (st.isDirectory() && !fs.exists(new Path(st.getPath(), MANIFEST))) {
            fs.delete(st.getPath(), true);
            removed.add(st.getPath().toString());
          }
        }
      }
      for (FileStatus st : raw(fs).listStatus(datasetDir)) {
        String n = st.getPath().getName();
        if (st.isFile()
            && n.startsWith(".")
            && (n.endsWith(".tmp") || n.endsWith(".stale") || n.equals("." + LATEST + ".crc"))) {
          raw(fs).delete(st.getPath(), false);
          removed.add(st.getPath().toString());
        }
      }
    } catch (IOException e) {
      throw Errors.outputFailed("cleanup of stale output", datasetDir.toString(), e);
    }
    removed.forEach(r -> LOG.info("removed stale output {}", r));
    return removed;
  }

  /**
   * Deletes the oldest complete snapshots so that {@code keepLast} remain; the snapshot {@code
   * LATEST} names is never deleted. Call only while holding the {@link DatasetLock}.
   *
   * @return the ids deleted
   */
  public List<String> retain(int keepLast) {
    String latest = latest().orElse(null);
    List<String> ids = completeSnapshots();
    List<String> deleted = new ArrayList<>();
    try {
      FileSystem fs = datasetDir.getFileSystem(conf);
      for (int i = 0; i < ids.size() && ids.size() - deleted.size() > keepLast; i++) {
        String id = ids.get(i);
        if (id.equals(latest)) {
          continue;
        }
        // The manifest first: a half-deleted snapshot is then incomplete, not corrupt.
        fs.delete(new Path(snapshotDir(id), MANIFEST), false);
        fs.delete(snapshotDir(id), true);
        deleted.add(id);
      }
    } catch (IOException e) {
      throw Errors.outputFailed("retention (keep_last)", datasetDir.toString(), e);
    }
    return deleted;
  }

  /**
   * Publishes a small file whole: by a temporary file and an atomic rename over the target (local
   * file system, HDFS), or, with pointer publication, by one single-stream write (an object store
   * makes an object visible only complete, on close; its rename is a copy). No {@code .crc} side
   * file is written.
   */
  public void publishFile(Path target, byte[] bytes) throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    fs.setWriteChecksum(false);
    if (pointer) {
      try (FSDataOutputStream out = fs.create(target, true)) {
        out.write(bytes);
      }
      return;
    }
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
      // rename publication forced on a store without atomic rename-over: delete, then rename.
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename of " + tmp + " to " + target + " failed");
      }
    }
    Path crc = new Path(target.getParent(), "." + target.getName() + ".crc");
    if (raw(fs).exists(crc)) {
      raw(fs).delete(crc, false);
    }
  }

  private boolean exists(Path p) {
    try {
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      throw Errors.snapshotNotFound(datasetDir.toString(), e.getMessage());
    }
  }

  /** The file system without Hadoop's checksum layer (no {@code .crc} checks or files). */
  private static FileSystem raw(FileSystem fs) {
    return fs instanceof org.apache.hadoop.fs.ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  private static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 60 ? p.substring(0, 60) + "..." : p;
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
