package io.gristmill.core.spark;

import static org.apache.spark.sql.functions.col;

import io.gristmill.core.Errors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes a Dataset as Parquet files whose bytes depend only on the rows: rows go to {@code files}
 * files by a hash of the key column, are sorted within each file, and the files are renamed to
 * {@code part-00000.parquet}, {@code part-00001.parquet}, ... So the same rows give the same files
 * whatever Spark's shuffle partitions, executor count or retries were.
 */
public final class DeterministicParquet {
  private DeterministicParquet() {}

  /**
   * @param key the column that places rows into files (e.g. {@code id})
   * @param sortBy the columns each file is sorted by; must make the order total
   * @return the number of files written
   */
  public static int write(Dataset<Row> rows, String dir, int files, String key, String... sortBy) {
    Column[] sort = Arrays.stream(sortBy).map(c -> col(c)).toArray(Column[]::new);
    rows.repartition(files, col(key))
        .sortWithinPartitions(sort)
        .write()
        .mode(SaveMode.ErrorIfExists)
        .option("compression", "snappy")
        .parquet(dir);
    return renameParts(rows, dir);
  }

  private static int renameParts(Dataset<Row> rows, String dir) {
    Path path = new Path(dir);
    try {
      FileSystem fs = path.getFileSystem(rows.sparkSession().sparkContext().hadoopConfiguration());
      List<FileStatus> parts = new ArrayList<>();
      for (FileStatus st : fs.listStatus(path)) {
        if (st.getPath().getName().startsWith("part-")
            && st.getPath().getName().endsWith(".parquet")) {
          parts.add(st);
        }
      }
      // Spark names files part-<partition>-<uuid>...; the partition number orders them.
      parts.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
      for (int i = 0; i < parts.size(); i++) {
        Path target = new Path(path, String.format("part-%05d.parquet", i));
        if (!fs.rename(parts.get(i).getPath(), target)) {
          throw new IOException("rename to " + target + " failed");
        }
        // parquet-mr's footer order differs between JVMs; see ParquetFooters.
        ParquetFooters.canonicalize(fs, target);
      }
      return parts.size();
    } catch (IOException e) {
      throw Errors.outputFailed("Parquet files", dir, e);
    }
  }
}
