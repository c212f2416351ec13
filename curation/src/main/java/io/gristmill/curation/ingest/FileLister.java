package io.gristmill.curation.ingest;

import io.gristmill.core.Errors;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Lists the input files of each source on the driver, through Hadoop's {@link FileSystem} (so globs
 * work on local, {@code hdfs://} and {@code s3a://} paths). A directory stands for the files under
 * it (recursively, skipping names starting with {@code _} or {@code .}; each directory once, so
 * symlink loops end; names with {@code :} are fine). Files are sorted within a source and listed
 * once even when two globs match them. A path or glob matching nothing fails at once with {@link
 * Errors#inputNotFound}; one that cannot be listed with {@link Errors#inputUnreadable}.
 */
public final class FileLister {
  private static final Logger LOG = LogManager.getLogger(FileLister.class);

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
      FileStatus[] matches =
          isLocal(fs) && isGlob(p.toUri().getPath()) ? localGlob(fs, p) : fs.globStatus(p);
      List<String> out = new ArrayList<>();
      Set<String> dirs = new HashSet<>();
      if (matches != null) {
        for (FileStatus st : matches) {
          addFiles(fs, st, out, dirs);
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

  /**
   * Adds the files at or under {@code st}. A directory is listed once: {@code dirs} holds the real
   * paths of the directories listed so far, so a symlink loop (or a second link to a listed
   * directory) is skipped with a warning instead of being listed again and again.
   */
  private static void addFiles(FileSystem fs, FileStatus st, List<String> out, Set<String> dirs)
      throws IOException {
    String name = st.getPath().getName();
    if (name.startsWith("_") || name.startsWith(".")) {
      return;
    }
    if (st.isDirectory()) {
      if (!dirs.add(realPath(fs, st.getPath()))) {
        LOG.warn(
            "ingest: skipping directory {}: it was listed already (a symlink loop or a second"
                + " link to it)",
            st.getPath());
        return;
      }
      for (FileStatus child : children(fs, st.getPath())) {
        addFiles(fs, child, out, dirs);
      }
    } else {
      out.add(fs.makeQualified(st.getPath()).toString());
    }
  }

  private static boolean isGlob(String path) {
    for (char c : new char[] {'*', '?', '[', '{'}) {
      if (path.indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * A glob on the local file system, matched by java.nio's glob matcher over the folders below the
   * pattern's first literal prefix, down to the pattern's depth. Hadoop's {@code globStatus} parses
   * every matched name as a URI, so one file with a ':' in its name (an ISO timestamp) failed the
   * whole source with a URISyntaxException, as a folder listing did before.
   */
  private static FileStatus[] localGlob(FileSystem fs, Path pattern) throws IOException {
    java.net.URI u = fs.makeQualified(pattern).toUri();
    // lexically normalized, as Hadoop qualifies paths (a ../ in the pattern leaves no trace)
    java.nio.file.Path abs = java.nio.file.Path.of(u.getPath()).normalize();
    java.nio.file.Path base = abs.getRoot();
    int depth = 0;
    boolean globbing = false;
    for (java.nio.file.Path part : abs) {
      if (!globbing && !isGlob(part.toString())) {
        base = base.resolve(part);
      } else {
        globbing = true;
        depth++;
      }
    }
    java.nio.file.PathMatcher m =
        java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + abs);
    List<FileStatus> out = new ArrayList<>();
    if (!Files.isDirectory(base)) {
      return new FileStatus[0];
    }
    try (java.util.stream.Stream<java.nio.file.Path> walk = Files.walk(base, depth)) {
      for (java.nio.file.Path c : (Iterable<java.nio.file.Path>) walk.sorted()::iterator) {
        if (base.relativize(c).getNameCount() == depth && m.matches(c)) {
          Path child = new Path(u.getScheme(), u.getAuthority(), c.toString());
          try {
            out.add(fs.getFileStatus(child));
          } catch (FileNotFoundException e) {
            LOG.warn("ingest: skipping {}: it is a link to nothing", child);
          }
        }
      }
    }
    return out.toArray(FileStatus[]::new);
  }

  private static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getUri().getScheme());
  }

  /** The directory's identity: its real path on the local file system, else its qualified path. */
  private static String realPath(FileSystem fs, Path dir) throws IOException {
    if (isLocal(fs)) {
      return java.nio.file.Path.of(dir.toUri().getPath()).toRealPath().toString();
    }
    return fs.makeQualified(dir).toString();
  }

  /**
   * The entries of a directory. On the local file system they are listed here and each child path
   * is built from its absolute path: Hadoop's own listing parses a bare child name as a URI, so a
   * ':' in a name (an ISO timestamp) fails the whole folder with a URISyntaxException. A link that
   * points nowhere is skipped with a warning.
   */
  private static List<FileStatus> children(FileSystem fs, Path dir) throws IOException {
    if (!isLocal(fs)) {
      return List.of(fs.listStatus(dir));
    }
    java.net.URI u = dir.toUri();
    String base = u.getPath().endsWith("/") ? u.getPath() : u.getPath() + "/";
    List<FileStatus> out = new ArrayList<>();
    try (DirectoryStream<java.nio.file.Path> ds =
        Files.newDirectoryStream(java.nio.file.Path.of(u.getPath()))) {
      for (java.nio.file.Path c : ds) {
        Path child = new Path(u.getScheme(), u.getAuthority(), base + c.getFileName());
        try {
          out.add(fs.getFileStatus(child));
        } catch (FileNotFoundException e) {
          LOG.warn("ingest: skipping {}: it is a link to nothing", child);
        }
      }
    }
    return out;
  }
}
