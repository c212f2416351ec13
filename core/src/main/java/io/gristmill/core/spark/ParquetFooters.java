package io.gristmill.core.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a Parquet file's footer depend only on its content. parquet-mr collects each column chunk's
 * encodings in a {@code HashSet<Encoding>} ({@code ParquetFileWriter.currentEncodings}) and writes
 * them in that set's iteration order, which follows the enum constants' identity hash codes and so
 * differs from one JVM to the next: the same rows gave files whose footers differed in the order of
 * the {@code encodings} lists, and a sha256 reproducibility check failed. No writer option sorts
 * them, so this rewrites the footer with every {@code encodings} list (and {@code encoding_stats})
 * sorted. Sorting a Thrift list keeps its serialized length, so the footer is patched in place on
 * the local file system (elsewhere the file is copied once) and no offset moves.
 */
public final class ParquetFooters {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private ParquetFooters() {}

  /**
   * Rewrites {@code file}'s footer in canonical order when it is not already.
   *
   * @return whether the file changed
   */
  public static boolean canonicalize(FileSystem fs, Path file) throws IOException {
    long len = fs.getFileStatus(file).getLen();
    byte[] tail = new byte[8];
    byte[] footer;
    try (FSDataInputStream in = fs.open(file)) {
      in.readFully(len - 8, tail);
      if (!Arrays.equals(Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
        throw new IOException(file + " is not a Parquet file (no PAR1 at its end)");
      }
      int footerLen = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      footer = new byte[footerLen];
      in.readFully(len - 8 - footerLen, footer);
    }
    byte[] canonical = canonical(footer);
    if (Arrays.equals(canonical, footer)) {
      return false;
    }
    if (canonical.length != footer.length) {
      throw new IOException("canonical footer of " + file + " changed length; not rewritten");
    }
    long at = len - 8 - footer.length;
    FileSystem raw =
        fs instanceof org.apache.hadoop.fs.LocalFileSystem l ? l.getRawFileSystem() : fs;
    if (raw instanceof org.apache.hadoop.fs.RawLocalFileSystem rl) {
      try (FileChannel ch =
          FileChannel.open(rl.pathToFile(file).toPath(), StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(canonical), at);
      }
      // The checksum side file no longer matches the patched bytes.
      rl.delete(new Path(file.getParent(), "." + file.getName() + ".crc"), false);
    } else {
      Path tmp = new Path(file.getParent(), "." + file.getName() + ".footer.tmp");
      try (InputStream in = fs.open(file);
          OutputStream out = fs.create(tmp, true)) {
        copy(in, out, at);
        out.write(canonical);
        out.write(tail);
      }
      fs.delete(file, false);
      if (!fs.rename(tmp, file)) {
        throw new IOException("rename of " + tmp + " to " + file + " failed");
      }
    }
    return true;
  }

  /** The Thrift footer {@code footer} with its encodings lists sorted. */
  static byte[] canonical(byte[] footer) throws IOException {
    FileMetaData md = Util.readFileMetaData(new ByteArrayInputStream(footer));
    if (md.getRow_groups() != null) {
      for (RowGroup rg : md.getRow_groups()) {
        for (ColumnChunk cc : rg.getColumns()) {
          ColumnMetaData cm = cc.getMeta_data();
          if (cm == null) {
            continue;
          }
          if (cm.getEncodings() != null) {
            cm.getEncodings().sort(Comparator.comparingInt(e -> e.getValue()));
          }
          if (cm.getEncoding_stats() != null) {
            cm.getEncoding_stats()
                .sort(
                    Comparator.comparingInt((PageEncodingStats s) -> s.getPage_type().getValue())
                        .thenComparingInt(s -> s.getEncoding().getValue()));
          }
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(footer.length);
    Util.writeFileMetaData(md, out);
    return out.toByteArray();
  }

  private static void copy(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[1 << 16];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new IOException("unexpected end of file while copying");
      }
      out.write(buf, 0, r);
      left -= r;
    }
  }
}
