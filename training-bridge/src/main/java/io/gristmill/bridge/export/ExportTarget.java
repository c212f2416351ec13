package io.gristmill.bridge.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.Errors;
import io.gristmill.core.GristmillException;
import io.gristmill.core.snapshot.Json;
import io.gristmill.core.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where an export goes and how it gets there: like a snapshot, everything is written to a staging
 * folder beside the target ({@code .NAME.export-UUID}, on the same file system, hidden from Spark
 * and Hadoop readers) and published by a rename, so the target holds either nothing of this export
 * or all of it. Refused before anything is written (exit 4):
 *
 * <ul>
 *   <li>a target inside a Gristmill dataset folder or snapshot (an ancestor holds {@code LATEST},
 *       {@code snapshots/} or a snapshot {@code manifest.json}), with or without {@code
 *       --overwrite}: writing there would change published data behind its manifest
 *   <li>a target that is a dataset folder, a snapshot, or holds one, also with {@code --overwrite}
 *   <li>a target that exists and is not empty, unless {@code --overwrite}
 * </ul>
 *
 * A failed export removes only its staging folder. An existing empty target receives the staged
 * entries one by one, manifests last. With {@code --overwrite} the old target is renamed aside, the
 * staging folder renamed into place, and only then the old folder removed; if the second rename
 * fails the old folder is renamed back. The target is checked again just before publication, so
 * content that appeared during the run is never replaced without {@code --overwrite}.
 */
final class ExportTarget {
  private static final String STAGING = ".export-";
  private static final String REPLACED = ".replaced-";
  private static final String SNAPSHOTS = "snapshots";

  private final FileSystem fs;
  private final String given;
  private final Path target;
  private final boolean overwrite;
  private Path staging;

  private ExportTarget(FileSystem fs, String given, Path target, boolean overwrite) {
    this.fs = fs;
    this.given = given;
    this.target = target;
    this.overwrite = overwrite;
  }

  /**
   * Checks {@code output} (see the class comment); needs no Spark.
   *
   * @throws GristmillException exit 4 when the target is refused
   */
  static ExportTarget check(String output, boolean overwrite, Configuration conf) {
    Path p = new Path(output);
    FileSystem fs;
    try {
      fs = p.getFileSystem(conf);
      p = fs.makeQualified(p);
    } catch (IOException e) {
      throw Errors.outputFailed("the export", output, e);
    }
    ExportTarget t = new ExportTarget(fs, output, p, overwrite);
    t.refuseIfUnsafe();
    return t;
  }

  /** The published path as given to {@link #check}, qualified. */
  Path target() {
    return target;
  }

  /** Creates (once) and returns the staging folder every file of the export is written to. */
  String staging() {
    if (staging == null) {
      Path parent = target.getParent();
      Path s = new Path(parent, "." + target.getName() + STAGING + UUID.randomUUID());
      try {
        fs.mkdirs(parent);
        if (!fs.mkdirs(s)) {
          throw new IOException("could not create the staging folder " + s);
        }
      } catch (IOException e) {
        throw Errors.outputFailed("the export", given, e);
      }
      staging = s;
    }
    return staging.toString();
  }

  /** Moves the staged export into place (see the class comment). */
  void publish() {
    if (staging == null) {
      throw new IllegalStateException("nothing was staged for " + target);
    }
    try {
      refuseIfUnsafe();
    } catch (GristmillException e) {
      abandon();
      throw e;
    }
    try {
      if (!fs.exists(target)) {
        rename(staging, target);
      } else if (entries(target).isEmpty()) {
        List<FileStatus> staged = new ArrayList<>(List.of(fs.listStatus(staging)));
        // Manifests last: a reader that sees a manifest sees everything it names.
        staged.sort(
            (a, b) -> {
              int ra = manifestRank(a.getPath().getName());
              int rb = manifestRank(b.getPath().getName());
              return ra != rb ? Integer.compare(ra, rb) : a.getPath().compareTo(b.getPath());
            });
        for (FileStatus st : staged) {
          rename(st.getPath(), new Path(target, st.getPath().getName()));
        }
        fs.delete(staging, false);
      } else {
        Path aside =
            new Path(target.getParent(), "." + target.getName() + REPLACED + UUID.randomUUID());
        rename(target, aside);
        try {
          rename(staging, target);
        } catch (IOException e) {
          rename(aside, target);
          throw e;
        }
        fs.delete(aside, true);
      }
      staging = null;
    } catch (IOException e) {
      abandon();
      throw Errors.outputFailed("the export", given, e);
    }
  }

  /** Removes the staging folder (and only it); safe to call more than once. */
  void abandon() {
    if (staging == null) {
      return;
    }
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      // The export already failed with its own error; the staging folder is hidden and named.
      System.err.println("export: could not remove the staging folder " + staging + ": " + e);
    }
    staging = null;
  }

  private static int manifestRank(String name) {
    return switch (name) {
      case ExportJob.SHARD_EXPORT_MANIFEST -> 1;
      case SnapshotStore.MANIFEST -> 2;
      default -> 0;
    };
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename of " + from + " to " + to + " failed");
    }
  }

  private void refuseIfUnsafe() {
    try {
      for (Path a = target.getParent(); a != null; a = a.getParent()) {
        String what = gristmillFolder(a);
        if (what != null) {
          throw ExportErrors.outputInsideDataset(given, a.toString(), what);
        }
      }
      if (!fs.exists(target)) {
        return;
      }
      if (fs.getFileStatus(target).isFile()) {
        throw ExportErrors.outputIsAFile(given);
      }
      String what = gristmillFolder(target);
      if (what != null) {
        throw ExportErrors.outputIsDataset(given, what);
      }
      List<String> names = entries(target);
      if (names.isEmpty()) {
        return;
      }
      if (!overwrite) {
        throw ExportErrors.outputNotEmpty(given, names);
      }
      for (FileStatus st : fs.listStatus(target)) {
        if (st.isDirectory()) {
          String inner = gristmillFolder(st.getPath());
          if (inner != null) {
            throw ExportErrors.outputIsDataset(given, inner + " in " + st.getPath());
          }
        }
      }
    } catch (IOException e) {
      throw Errors.outputFailed("the export", given, e);
    }
  }

  private List<String> entries(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus st : fs.listStatus(dir)) {
      names.add(st.getPath().getName());
    }
    names.sort(null);
    return names;
  }

  /**
   * What Gristmill dataset structure {@code dir} is ({@code "a dataset folder"}, {@code "a
   * snapshot"}), or null: a folder with {@code LATEST} or {@code snapshots/}, or a {@code
   * manifest.json} of a job other than {@code export} (shard manifests have no job).
   */
  private String gristmillFolder(Path dir) throws IOException {
    if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
      return null;
    }
    if (fs.exists(new Path(dir, SnapshotStore.LATEST)) || fs.exists(new Path(dir, SNAPSHOTS))) {
      return "a Gristmill dataset folder";
    }
    Path manifest = new Path(dir, SnapshotStore.MANIFEST);
    if (fs.exists(manifest) && fs.getFileStatus(manifest).isFile()) {
      String job = null;
      try (InputStream in = fs.open(manifest)) {
        JsonNode n = Json.mapper().readTree(in);
        job = n != null && n.hasNonNull("job") ? n.get("job").asText() : null;
      } catch (IOException e) {
        // Not JSON we know: not a snapshot manifest.
      }
      if (job != null && !job.equals("export")) {
        return "a Gristmill snapshot (written by " + job + ")";
      }
    }
    return null;
  }
}
