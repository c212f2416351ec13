package io.gristmill.core.snapshot;

import io.gristmill.core.Errors;
import io.gristmill.core.kind.DatasetKind;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An input a command was pointed at, resolved without Spark: a dataset folder (its {@code LATEST}
 * snapshot), a snapshot folder (with {@code manifest.json}), a snapshot's {@code data/} folder, or
 * a plain table (Parquet/JSON files written elsewhere, no manifest).
 *
 * @param given the path as the user gave it
 * @param snapshotDir the snapshot folder, or null for a plain table
 * @param dataPath what to read: the snapshot's {@code data/}, or {@code given}
 * @param manifest the snapshot's manifest, or null for a plain table
 */
public record SnapshotRef(
    String given, Path snapshotDir, Path dataPath, SnapshotManifest manifest) {

  /** Resolves {@code path}; fails (exit 3) when nothing is there. */
  public static SnapshotRef resolve(String path, Configuration conf) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw Errors.inputNotFound("input", path);
      }
      if (fs.exists(new Path(p, SnapshotStore.LATEST))) {
        SnapshotStore store = new SnapshotStore(p, conf);
        String id =
            store
                .latest()
                .orElseThrow(() -> Errors.snapshotNotFound(path, "LATEST names no snapshot"));
        return ofSnapshot(path, store.snapshotDir(id), store.readManifest(id));
      }
      if (fs.exists(new Path(p, SnapshotStore.MANIFEST))) {
        return ofSnapshot(path, p, readManifest(fs, new Path(p, SnapshotStore.MANIFEST), path));
      }
      Path parent = p.getParent();
      if (p.getName().equals("data")
          && parent != null
          && fs.exists(new Path(parent, SnapshotStore.MANIFEST))) {
        return ofSnapshot(
            path, parent, readManifest(fs, new Path(parent, SnapshotStore.MANIFEST), path));
      }
      return new SnapshotRef(path, null, p, null);
    } catch (IOException e) {
      throw Errors.inputUnreadable("input", path, e);
    }
  }

  private static SnapshotRef ofSnapshot(String given, Path dir, SnapshotManifest m) {
    return new SnapshotRef(given, dir, new Path(dir, "data"), m);
  }

  private static SnapshotManifest readManifest(FileSystem fs, Path p, String given)
      throws IOException {
    try (InputStream in = fs.open(p)) {
      return Json.mapper().readValue(in.readAllBytes(), SnapshotManifest.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw Errors.snapshotNotFound(given, "its manifest.json cannot be parsed: " + e.getMessage());
    }
  }

  public boolean isSnapshot() {
    return manifest != null;
  }

  /** A named output folder of the snapshot (e.g. {@code difficulty}). */
  public Path output(String name) {
    return snapshotDir == null ? new Path(dataPath, name) : new Path(snapshotDir, name);
  }

  /**
   * The kind recorded in the manifest; manifests written before kinds were recorded are classified
   * by the job that wrote them. Null for a plain table.
   */
  public DatasetKind kind() {
    if (manifest == null) {
      return null;
    }
    if (manifest.kind() != null) {
      return DatasetKind.fromId(manifest.kind());
    }
    return switch (manifest.job()) {
      case "rollout" -> DatasetKind.ROLLOUT;
      case "score" -> DatasetKind.SCORED_ROLLOUT;
      default -> DatasetKind.CONVERSATION;
    };
  }

  /**
   * Fails with a config error (exit 2, before any Spark work) when this is a snapshot of a kind
   * {@code command} does not take; plain tables pass and are checked by columns once read.
   */
  public SnapshotRef requireKind(String command, Set<DatasetKind> accepted) {
    DatasetKind k = kind();
    if (k != null && !accepted.contains(k)) {
      String names =
          accepted.stream()
              .sorted()
              .map(a -> "'" + a.id() + "'")
              .collect(Collectors.joining(" or "));
      names = "a " + names + " dataset";
      String producers =
          accepted.stream()
              .sorted()
              .map(DatasetKind::producedBy)
              .distinct()
              .collect(Collectors.joining(" or "));
      throw Errors.inputWrongKind(
          command, given, k.id(), "gristmill " + manifest.job(), names, producers);
    }
    return this;
  }

  /** Total bytes of the files under {@link #dataPath}. */
  public long dataBytes(Configuration conf) {
    try {
      FileSystem fs = dataPath.getFileSystem(conf);
      return fs.getContentSummary(dataPath).getLength();
    } catch (IOException e) {
      throw Errors.inputUnreadable("input", dataPath.toString(), e);
    }
  }

  /**
   * This input as a manifest entry: a snapshot is identified by the sha256 of its manifest.json, a
   * plain table by the sha256 over its files' names and sizes.
   */
  public SnapshotManifest.InputFile asInput(String source, Configuration conf) {
    try {
      FileSystem fs = dataPath.getFileSystem(conf);
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      if (snapshotDir != null) {
        try (InputStream in = fs.open(new Path(snapshotDir, SnapshotStore.MANIFEST))) {
          md.update(in.readAllBytes());
        }
      } else {
        FileStatus[] files = fs.listStatus(dataPath);
        Arrays.sort(files, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        for (FileStatus f : files) {
          md.update((f.getPath().getName() + ":" + f.getLen() + "\n").getBytes());
        }
      }
      String where = snapshotDir != null ? snapshotDir.toString() : dataPath.toString();
      return new SnapshotManifest.InputFile(
          source, where, dataBytes(conf), HexFormat.of().formatHex(md.digest()), 0, 0, 0);
    } catch (IOException e) {
      throw Errors.inputUnreadable("input", dataPath.toString(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
