package io.gristmill.bridge.export;

import io.gristmill.core.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  /** Writes a small text file under a temporary name, then renames it. */
  void writeText(String path, String text) {
    Path p = new Path(path);
    Path tmp = new Path(p.getParent(), "_" + p.getName() + ".tmp");
    try {
      try (FSDataOutputStream out = fs.create(tmp, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(p, false);
      if (!fs.rename(tmp, p)) {
        throw new IOException("rename of " + tmp + " failed");
      }
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
          found = st.getPath();
        }
      }
      if (found == null) {
        throw new IOException("Spark wrote no part file in " + sparkDir);
      }
      fs.delete(new Path(target), false);
      if (!fs.rename(found, new Path(target))) {
        throw new IOException("rename of " + found + " failed");
      }
      fs.delete(new Path(sparkDir), true);
    } catch (IOException e) {
      throw Errors.outputFailed("file", target, e);
    }
  }
}
