package io.gristmill.curation.ingest;

import io.gristmill.core.Errors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists the input files of each source on the driver, through Hadoop's {@link FileSystem} (so globs
 * work on local, {@code hdfs://} and {@code s3a://} paths). A directory stands for the files under
 * it (recursively, skipping names starting with {@code _} or {@code .}). Files are sorted within a
 * source and listed once even when two globs match them. A path or glob matching nothing fails at
 * once with {@link Errors#inputNotFound}; one that cannot be listed with {@link
 * Errors#inputUnreadable}.
 */
public final class FileLister {
  private FileLister() {}

  /** One file to read, with its source. */
  record FileTask(SourceConfig source, String path) implements java.io.Serializable {}

  /**
   * The files one source's paths and globs match: qualified, sorted, each once. Fails like {@link
   * #list} when a pattern matches nothing.
   */
  public static List<String> files(SourceConfig s, Configuration conf) {
    TreeSet<String> files = new TreeSet<>();
    for (String pattern : s.path()) {
      files.addAll(expand(s.name(), pattern, conf));
    }
    return List.copyOf(files);
  }

  static List<FileTask> list(List<SourceConfig> sources, Configuration conf) {
    List<FileTask> tasks = new ArrayList<>();
    for (SourceConfig s : sources) {
      PromptLookups.checkReadable(s.name(), s.promptsFrom(), conf);
      for (String f : files(s, conf)) {
        tasks.add(new FileTask(s, f));
      }
    }
    return tasks;
  }

  private static List<String> expand(String source, String pattern, Configuration conf) {
    Path p = new Path(pattern);
    try {
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      List<String> out = new ArrayList<>();
      if (matches != null) {
        for (FileStatus st : matches) {
          addFiles(fs, st, out);
        }
      }
      if (out.isEmpty()) {
        throw Errors.inputNotFound(source, pattern);
      }
      return out;
    } catch (IOException e) {
      throw Errors.inputUnreadable(source, pattern, e);
    }
  }

  private static void addFiles(FileSystem fs, FileStatus st, List<String> out) throws IOException {
    String name = st.getPath().getName();
    if (name.startsWith("_") || name.startsWith(".")) {
      return;
    }
    if (st.isDirectory()) {
      for (FileStatus child : fs.listStatus(st.getPath())) {
        addFiles(fs, child, out);
      }
    } else {
      out.add(fs.makeQualified(st.getPath()).toString());
    }
  }
}
