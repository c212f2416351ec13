package io.gristmill.jobs.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.snapshot.Json;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.jobs.cli.CliRunner;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code s3a://} end to end against a real S3-compatible server (S3Proxy, started by the test on
 * 127.0.0.1): {@code curate} of the demo corpus with its output root on the store, then {@code
 * refresh} and {@code inspect} there, and the published snapshot read back. The S3A settings reach
 * every command as a user passes them under spark-submit or the launcher ({@code
 * spark.hadoop.fs.s3a.*}, here as system properties), {@code inspect} (no Spark) included.
 */
class S3aCurateTest {
  private static final String BUCKET = "gristmill-s3a-test";

  private static String[] args(String command, Path config, String output) {
    return new String[] {
      command, "--config", config.toString(), "--master", "local[2]", "--output", output
    };
  }

  private static Configuration hadoopConf(Map<String, String> s3a) {
    Configuration conf = new Configuration();
    s3a.forEach((k, v) -> conf.set("fs.s3a." + k, v));
    return conf;
  }

  /**
   * Runs a command with the S3A options for this bucket only ({@code fs.s3a.bucket.BUCKET.*}) given
   * as a user gives them to the launcher or spark-submit: {@code spark.hadoop.*} Spark settings
   * (system properties, which {@code SparkConf} reads). Regression: the checks before Spark used a
   * plain Hadoop configuration, cached an S3A file system without these settings, and the job then
   * failed writing its lock (exit 4, {@code NoAuthWithAWSException}).
   */
  private static String runWithSparkHadoop(Map<String, String> s3a, String... args) {
    List<String> keys = new ArrayList<>();
    s3a.forEach(
        (k, v) -> {
          String key = "spark.hadoop.fs.s3a.bucket." + BUCKET + "." + k;
          System.setProperty(key, v);
          keys.add(key);
        });
    try {
      return CliRunner.run(args);
    } finally {
      keys.forEach(System::clearProperty);
    }
  }

  /** Drops the cached S3A file system of the bucket, so the next command builds its own. */
  private static void closeCachedFileSystem(Map<String, String> s3a) throws Exception {
    FileSystem.get(URI.create("s3a://" + BUCKET + "/"), hadoopConf(s3a)).close();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** File name -> sha256 of every Parquet file in a local folder. */
  private static Map<String, String> localParquet(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        m.put(p.getFileName().toString(), sha256(Files.readAllBytes(p)));
      }
    }
    return m;
  }

  /** File name -> sha256 of every Parquet file in a folder on the store, read through S3A. */
  private static Map<String, String> s3aParquet(FileSystem fs, String dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (FileStatus st : fs.listStatus(new org.apache.hadoop.fs.Path(dir))) {
      if (st.getPath().getName().endsWith(".parquet")) {
        try (InputStream in = fs.open(st.getPath())) {
          m.put(st.getPath().getName(), sha256(in.readAllBytes()));
        }
      }
    }
    return m;
  }

  /** Per input path: rows read, kept and rejected. */
  private static Map<String, List<Long>> inputCounts(SnapshotManifest m) {
    return m.inputs().stream()
        .collect(
            Collectors.toMap(
                SnapshotManifest.InputFile::path,
                i -> List.of(i.rowsRead(), i.rowsKept(), i.rowsRejected()),
                (x, y) -> x,
                TreeMap::new));
  }

  @Test
  void curateToS3aPublishesLatestByPointerWriteAndMatchesALocalRun(@TempDir Path tmp)
      throws Exception {
    Path config = S3aFixtures.config(tmp.resolve("conf"));
    Path local = tmp.resolve("local");
    CliRunner.run(args("curate", config, local.toString()));
    String localId = Files.readString(local.resolve("demo/LATEST")).trim();
    Path localSnapshot = local.resolve("demo/snapshots").resolve(localId);
    SnapshotManifest localManifest =
        Json.mapper()
            .readValue(localSnapshot.resolve("manifest.json").toFile(), SnapshotManifest.class);

    try (LocalS3Server s3 = new LocalS3Server(BUCKET)) {
      Map<String, String> s3a = S3aFixtures.s3aOptions(s3.endpoint());
      String root = "s3a://" + BUCKET + "/out";
      try {
        String curate = runWithSparkHadoop(s3a, args("curate", config, root));
        assertThat(curate).contains("Snapshot written to: " + root + "/demo/snapshots/");

        // What the server holds, listed from its blob store rather than through S3A.
        Map<String, Long> keys = s3.list(BUCKET, "out/demo/");
        String id = new String(s3.read(BUCKET, "out/demo/LATEST"), StandardCharsets.UTF_8).trim();
        String snap = "out/demo/snapshots/" + id + "/";
        assertThat(keys)
            .as("objects on the server")
            .containsKeys(
                "out/demo/LATEST",
                snap + "manifest.json",
                snap + "summary.txt",
                snap + "data/part-00000.parquet");
        assertThat(keys.keySet())
            .as("no lock, temp file, checksum file or task output left behind")
            .noneMatch(k -> k.endsWith("/LOCK") || k.contains("/LOCK."))
            .noneMatch(k -> k.endsWith(".tmp") || k.endsWith(".crc"))
            .noneMatch(k -> k.contains("_temporary"));

        // Publication by pointer: manifest and LATEST are each one PUT, never a copy (S3A's
        // rename), and LATEST is written after the manifest, which comes after all data.
        List<LocalS3Server.Event> events = s3.events();
        String latestKey = "out/demo/LATEST";
        String manifestKey = snap + "manifest.json";
        assertThat(events)
            .as("renames show as server-side copies (the data files are renamed)")
            .anyMatch(e -> e.op().equals("copy") && e.key().startsWith(snap + "data/"));
        assertThat(events)
            .as("LATEST and the manifest are never the target of a copy")
            .noneMatch(
                e ->
                    e.op().equals("copy")
                        && (e.key().equals(latestKey) || e.key().equals(manifestKey)));
        List<String> writes =
            events.stream()
                .filter(e -> !e.op().equals("delete"))
                .map(LocalS3Server.Event::key)
                .toList();
        assertThat(writes.stream().filter(latestKey::equals).count()).isEqualTo(1);
        assertThat(writes.stream().filter(manifestKey::equals).count()).isEqualTo(1);
        int latestAt = writes.indexOf(latestKey);
        int manifestAt = writes.indexOf(manifestKey);
        assertThat(manifestAt).isLessThan(latestAt);
        int lastDataAt = -1;
        for (int i = 0; i < writes.size(); i++) {
          if (writes.get(i).startsWith(snap + "data/")
              || writes.get(i).startsWith(snap + "rejected/")) {
            lastDataAt = i;
          }
        }
        assertThat(lastDataAt).as("last data write").isBetween(0, manifestAt - 1);

        // Nothing changed: refresh over s3a reads LATEST and the manifest there and writes nothing.
        int eventsBefore = s3.events().size();
        String refresh = runWithSparkHadoop(s3a, args("refresh", config, root));
        assertThat(refresh).contains("Nothing new");
        assertThat(
                s3.events().subList(eventsBefore, s3.events().size()).stream()
                    .filter(e -> !e.key().contains("LOCK") && !e.key().endsWith("/"))
                    .toList())
            .as("refresh with nothing new writes nothing but its lock (and directory markers)")
            .isEmpty();
        assertThat(new String(s3.read(BUCKET, latestKey), StandardCharsets.UTF_8).trim())
            .isEqualTo(id);

        // inspect (no Spark) on an S3A file system of its own.
        closeCachedFileSystem(s3a);
        String inspect = runWithSparkHadoop(s3a, "inspect", root + "/demo");
        assertThat(inspect).contains("Snapshot: " + root + "/demo/snapshots/" + id);
        assertThat(inspect).contains("exact_dedup").contains("data: ");

        // The published snapshot read back through S3A equals the local run's.
        try (FileSystem fs =
            FileSystem.newInstance(URI.create("s3a://" + BUCKET + "/"), hadoopConf(s3a))) {
          SnapshotManifest m;
          try (InputStream in =
              fs.open(
                  new org.apache.hadoop.fs.Path(
                      root + "/demo/snapshots/" + id + "/manifest.json"))) {
            m = Json.mapper().readValue(in, SnapshotManifest.class);
          }
          assertThat(m.snapshotId()).isEqualTo(id);
          assertThat(m.outputs()).isEqualTo(localManifest.outputs());
          assertThat(m.outputs().get("data")).isPositive();
          assertThat(inputCounts(m)).isEqualTo(inputCounts(localManifest));
          String snapDir = root + "/demo/snapshots/" + id;
          Map<String, String> data = s3aParquet(fs, snapDir + "/data");
          assertThat(data).isNotEmpty().isEqualTo(localParquet(localSnapshot.resolve("data")));
          assertThat(s3aParquet(fs, snapDir + "/rejected"))
              .isEqualTo(localParquet(localSnapshot.resolve("rejected")));
        }
      } finally {
        closeCachedFileSystem(s3a);
      }
    }
  }
}
