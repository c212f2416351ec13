package io.gristmill.core.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, finding 10: Parquet bytes must not depend on the JVM that wrote them. parquet-mr lists
 * each column chunk's encodings in HashSet order, which follows identity hash codes.
 */
class ParquetFootersTest {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required binary s (UTF8); required int32 n; optional binary t (UTF8); }");

  /** Writes the same rows every time, with parquet-mr, as Spark's writer does. */
  static void writeRows(Path file) throws Exception {
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withType(SCHEMA)
            .withConf(new Configuration())
            .build()) {
      for (int i = 0; i < 500; i++) {
        Group g = f.newGroup().append("s", "value-" + (i % 7)).append("n", i * 31);
        if (i % 3 != 0) {
          g.append("t", "text " + (i % 5));
        }
        w.write(g);
      }
    }
  }

  /** A child JVM: writes the rows to args[0], canonicalizes the footer when args[1] is true. */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    writeRows(file);
    if (Boolean.parseBoolean(args[1])) {
      ParquetFooters.canonicalize(
          FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(file.toUri()));
    }
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  private static byte[] footer(byte[] file) {
    int len = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    byte[] f = new byte[len];
    System.arraycopy(file, file.length - 8 - len, f, 0, len);
    return f;
  }

  /** The footer as another JVM could have written it: every encodings list reversed. */
  private static byte[] asAnotherJvmWroteIt(byte[] file) throws Exception {
    byte[] old = footer(file);
    FileMetaData md = Util.readFileMetaData(new ByteArrayInputStream(old));
    int lists = 0;
    for (RowGroup rg : md.getRow_groups()) {
      for (ColumnChunk cc : rg.getColumns()) {
        if (cc.getMeta_data().getEncodings().size() > 1) {
          lists++;
        }
        Collections.reverse(cc.getMeta_data().getEncodings());
      }
    }
    assertThat(lists).as("column chunks with more than one encoding").isPositive();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Util.writeFileMetaData(md, out);
    byte[] other = file.clone();
    System.arraycopy(out.toByteArray(), 0, other, file.length - 8 - old.length, old.length);
    return other;
  }

  @Test
  void footersThatDifferOnlyInEncodingsOrderBecomeByteIdentical(@TempDir Path dir)
      throws Exception {
    Path a = dir.resolve("a.parquet");
    writeRows(a);
    Path b = dir.resolve("b.parquet");
    Files.write(b, asAnotherJvmWroteIt(Files.readAllBytes(a)));
    assertThat(sha256(b)).as("precondition: the order shows in the bytes").isNotEqualTo(sha256(a));

    FileSystem fs = FileSystem.getLocal(new Configuration());
    ParquetFooters.canonicalize(fs, new org.apache.hadoop.fs.Path(a.toUri()));
    ParquetFooters.canonicalize(fs, new org.apache.hadoop.fs.Path(b.toUri()));
    assertThat(sha256(b)).isEqualTo(sha256(a));
    assertThat(ParquetFooters.canonicalize(fs, new org.apache.hadoop.fs.Path(a.toUri())))
        .as("already canonical: untouched")
        .isFalse();
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(b.toUri()), new Configuration()))) {
      assertThat(r.getRecordCount()).isEqualTo(500);
    }
  }

  @Test
  void filesWrittenInSeparateJvmsHaveOneSha256(@TempDir Path dir) throws Exception {
    List<Process> children = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path f = dir.resolve("run" + i + ".parquet");
      files.add(f);
      children.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ParquetFootersTest.class.getName(),
                  f.toString(),
                  System.getProperty("gristmill.test.canonicalFooters", "true"))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("child" + i + ".log").toFile())
              .start());
    }
    for (int i = 0; i < children.size(); i++) {
      Process p = children.get(i);
      try {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child %d finished", i).isTrue();
      } finally {
        p.destroyForcibly();
      }
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("child" + i + ".log"))).isZero();
    }
    String first = sha256(files.get(0));
    for (Path f : files) {
      assertThat(sha256(f)).as(f.getFileName().toString()).isEqualTo(first);
    }
  }
}
