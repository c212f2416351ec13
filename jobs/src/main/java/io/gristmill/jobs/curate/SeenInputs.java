package io.gristmill.jobs.curate;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.Json;
import io.gristmill.curation.ingest.FileLister;
import io.gristmill.curation.ingest.SourceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The input files a snapshot reflects, kept in {@code inputs_seen.json} so that {@code refresh}
 * reads only files that are new or changed since. A file is identified by its qualified path, size
 * and modification time (cheap to list on the driver, unlike a checksum of every file every night).
 */
final class SeenInputs {
  static final String FILE = "inputs_seen.json";

  /** One input file as listed. */
  record Seen(String path, long bytes, long modified) implements Comparable<Seen> {
    @Override
    public int compareTo(Seen o) {
      return path.compareTo(o.path) != 0
          ? path.compareTo(o.path)
          : Long.compare(modified, o.modified) != 0
              ? Long.compare(modified, o.modified)
              : Long.compare(bytes, o.bytes);
    }
  }

  private SeenInputs() {}

  static Seen stat(String file, Configuration conf) {
    Path p = new Path(file);
    try {
      FileStatus st = p.getFileSystem(conf).getFileStatus(p);
      return new Seen(file, st.getLen(), st.getModificationTime());
    } catch (IOException e) {
      throw Errors.inputUnreadable("?", file, e);
    }
  }

  static List<Seen> statAll(Collection<String> files, Configuration conf) {
    List<Seen> out = new ArrayList<>();
    files.forEach(f -> out.add(stat(f, conf)));
    return out;
  }

  /** The sources restricted to files not in {@code seen}; sources with none are left out. */
  static List<SourceConfig> newFiles(
      List<SourceConfig> sources, Set<Seen> seen, Configuration conf, List<Seen> newSeen) {
    List<SourceConfig> out = new ArrayList<>();
    for (SourceConfig s : sources) {
      List<String> fresh = new ArrayList<>();
      for (String f : FileLister.files(s, conf)) {
        Seen st = stat(f, conf);
        if (!seen.contains(st)) {
          fresh.add(f);
          newSeen.add(st);
        }
      }
      if (!fresh.isEmpty()) {
        out.add(s.withPaths(fresh));
      }
    }
    return out;
  }

  static Set<Seen> read(Path snapshotDir, Configuration conf) {
    Path p = new Path(snapshotDir, FILE);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return Set.of();
      }
      try (InputStream in = fs.open(p)) {
        return new TreeSet<>(Json.mapper().readValue(in, new TypeReference<List<Seen>>() {}));
      }
    } catch (IOException e) {
      throw Errors.snapshotNotFound(
          snapshotDir.toString(), FILE + " cannot be read: " + e.getMessage());
    }
  }

  static byte[] toJson(Collection<Seen> seen) {
    try {
      return Json.mapper().writeValueAsBytes(new ArrayList<>(new TreeSet<>(seen)));
    } catch (IOException e) {
      throw Errors.internal("Cannot serialize " + FILE, e);
    }
  }
}
