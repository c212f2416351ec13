package io.gristmill.core.stage;

import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An earlier complete snapshot a run builds on.
 *
 * @param snapshotId its id
 * @param dir its folder
 * @param data its kept rows
 * @param rejected its rejected rows (carried forward, so a snapshot accounts for all its inputs)
 */
public record PriorSnapshot(String snapshotId, Path dir, Dataset<Row> data, Dataset<Row> rejected) {
  /** A named output folder the earlier run saved as stage state, if it exists. */
  public Optional<Path> savedState(String name, org.apache.hadoop.conf.Configuration conf) {
    Path p = new Path(dir, name);
    try {
      return p.getFileSystem(conf).exists(p) ? Optional.of(p) : Optional.empty();
    } catch (java.io.IOException e) {
      throw io.gristmill.core.Errors.snapshotNotFound(dir.toString(), e.getMessage());
    }
  }
}
