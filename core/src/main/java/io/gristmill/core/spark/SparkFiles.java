package io.gristmill.core.spark;

import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** File-system chores around Spark's writers. */
public final class SparkFiles {
  private SparkFiles() {}

  /**
   * Deletes Hadoop's checksum side files ({@code .name.crc}) and {@code _SUCCESS} markers under
   * {@code dir}, recursively, so a snapshot holds only its data and manifest.
   */
  public static void removeClutter(FileSystem fs, Path dir) throws IOException {
    if (fs instanceof org.apache.hadoop.fs.ChecksumFileSystem checksummed) {
      // The checksummed view hides .crc files from listings; the raw one shows them.
      fs = checksummed.getRawFileSystem();
    }
    if (!fs.exists(dir)) {
      return;
    }
    for (FileStatus st : fs.listStatus(dir)) {
      String name = st.getPath().getName();
      if (st.isDirectory()) {
        removeClutter(fs, st.getPath());
      } else if ((name.startsWith(".") && name.endsWith(".crc")) || name.equals("_SUCCESS")) {
        fs.delete(st.getPath(), false);
      }
    }
  }
}
