package io.gristmill.bridge.export;

import io.gristmill.core.Errors;
import io.gristmill.core.spark.SparkFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small file-system helpers for exports (any Hadoop file system). */
final class OutputFiles {
  private final FileSystem fs;

  OutputFiles(String anyPath, Configuration conf) {
    try {
      this.fs = new Path(anyPath).getFileSystem(conf);
    } catch (IOException e) {
      throw Errors.outputFailed("export", anyPath, e);
    }
  }

  boolean exists(String path) {
    try {
      return fs.exists(new Path(path));
    } catch (IOException e) {
      throw Errors.inputUnreadable("export", path, e);
    }
  }

  /** The names in {@code dir} (sorted), empty when it does not exist; fails when it is a file. */
  List<String> entries(String dir) {
    Path p = new Path(dir);
    try {
      if (!fs.exists(p)) {
        return List.of();
      }
      if (fs.getFileStatus(p).isFile()) {
        return List.of(p.getName());
      }
      List<String> names = new ArrayList<>();
      for (FileStatus st : fs.listStatus(p)) {
        names.add(st.getPath().getName());
      }
      names.sort(null);
      return names;
    } catch (IOException e) {
      throw Errors.inputUnreadable("export", dir, e);
    }
  }

  /** {@code [files, bytes]} of the data files (not {@code _}- or {@code .}-prefixed) in a dir. */
  long[] dataFiles(String dir, String suffix) {
    long files = 0;
    long bytes = 0;
    try {
      for (FileStatus st : fs.listStatus(new Path(dir))) {
        String n = st.getPath().getName();
        if (st.isFile() && !n.startsWith("_") && !n.startsWith(".") && n.endsWith(suffix)) {
          files++;
          bytes += st.getLen();
        }
      }
    } catch (IOException e) {
      throw Errors.inputUnreadable("export", dir, e);
    }
    return new long[] {files, bytes};
  }

  /** Size of one file. */
  long size(String path) {
    try {
      return fs.getFileStatus(new Path(path)).getLen();
    } catch (IOException e) {
      throw Errors.inputUnreadable("export", path, e);
    }
  }

  /** Writes a small text file under a temporary name, then renames it (never over a file). */
  void writeText(String path, String text) {
    Path p = new Path(path);
    Path tmp = new Path(p.getParent(), "_" + p.getName() + ".tmp");
    try {
      if (fs.exists(p)) {
        throw new IOException("the file already exists");
      }
      try (FSDataOutputStream out = fs.create(tmp, false)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      if (!fs.rename(tmp, p)) {
        throw new IOException("rename of " + tmp + " failed");
      }
      clean(p.getParent().toString());
    } catch (IOException e) {
      throw Errors.outputFailed("file", path, e);
    }
  }

  /** Moves the only {@code part-*} file of a Spark output dir to {@code target}; drops the dir. */
  void moveSinglePart(String sparkDir, String target) {
    try {
      Path found = null;
      for (FileStatus st : fs.listStatus(new Path(sparkDir))) {
        if (st.getPath().getName().startsWith("part-")) {
          if (found != null) {
            throw new IOException("Spark wrote more than one part file in " + sparkDir);
          }
          found = st.getPath();
        }
      }
      if (found == null) {
        throw new IOException("Spark wrote no part file in " + sparkDir);
      }
      if (fs.exists(new Path(target))) {
        throw new IOException("the file already exists");
      }
      if (!fs.rename(found, new Path(target))) {
        throw new IOException("rename of " + found + " failed");
      }
      fs.delete(new Path(sparkDir), true);
      clean(new Path(target).getParent().toString());
    } catch (IOException e) {
      throw Errors.outputFailed("file", target, e);
    }
  }

  /**
   * Renames Spark's {@code part-NNNNN-uuid...SUFFIX} files in {@code dir} to {@code
   * part-00000.EXT}, ... in partition order; returns how many there are.
   */
  int renameParts(String dir, String sparkSuffix, String ext) {
    Path p = new Path(dir);
    try {
      FileStatus[] all = fs.listStatus(p);
      List<Path> parts = new ArrayList<>();
      Arrays.stream(all)
          .map(FileStatus::getPath)
          .filter(x -> x.getName().startsWith("part-") && x.getName().endsWith(sparkSuffix))
          .sorted((a, b) -> a.getName().compareTo(b.getName()))
          .forEach(parts::add);
      for (int i = 0; i < parts.size(); i++) {
        Path target = new Path(p, String.format("part-%05d.%s", i, ext));
        if (!fs.rename(parts.get(i), target)) {
          throw new IOException("rename to " + target + " failed");
        }
      }
      return parts.size();
    } catch (IOException e) {
      throw Errors.outputFailed("export files", dir, e);
    }
  }

  /** Removes {@code .crc} and {@code _SUCCESS} files under {@code dir}. */
  void clean(String dir) {
    try {
      SparkFiles.removeClutter(fs, new Path(dir));
    } catch (IOException e) {
      throw Errors.outputFailed("export", dir, e);
    }
  }
}
