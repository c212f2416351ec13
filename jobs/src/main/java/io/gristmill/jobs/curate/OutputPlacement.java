package io.gristmill.jobs.curate;

import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.curation.ingest.SourceConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses a dataset folder that a source would read back: a source path or glob that matches the
 * dataset folder or one of its ancestors (ingest lists a matched folder recursively), or that
 * matches a snapshot's data file directly (e.g. {@code in/**}). Without this an output root inside
 * an input folder made every run ingest the previous snapshot as new input.
 */
final class OutputPlacement {
  private OutputPlacement() {}

  static void check(CurateConfig cfg, Configuration conf) {
    Path dataset = new SnapshotStore(cfg.outputRoot(), cfg.dataset(), conf).datasetDir();
    Path out;
    try {
      out = dataset.getFileSystem(conf).makeQualified(dataset);
    } catch (IOException e) {
      throw Errors.outputFailed("dataset " + cfg.dataset(), dataset.toString(), e);
    }
    URI o = out.toUri();
    String dataFile = o.getPath() + "/snapshots/ID/data/part-00000.parquet";
    for (SourceConfig s : cfg.sources()) {
      for (String pattern : s.path()) {
        Path in = qualify(new Path(pattern), conf);
        if (in == null) {
          continue;
        }
        URI i = in.toUri();
        if (!Objects.equals(i.getScheme(), o.getScheme())
            || !Objects.equals(i.getAuthority(), o.getAuthority())) {
          continue;
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + i.getPath());
        for (Path a = new Path(o.getPath()); a != null; a = a.getParent()) {
          if (m.matches(java.nio.file.Path.of(a.toString()))) {
            throw Errors.outputInsideInput(out.toString(), s.name(), in.toString());
          }
        }
        if (m.matches(java.nio.file.Path.of(dataFile))) {
          throw Errors.outputInsideInput(out.toString(), s.name(), in.toString());
        }
      }
    }
  }

  /** {@code p} qualified, or null when its file system is not available (ingest reports it). */
  private static Path qualify(Path p, Configuration conf) {
    try {
      FileSystem fs = p.getFileSystem(conf);
      return fs.makeQualified(p);
    } catch (IOException e) {
      return null;
    }
  }
}
