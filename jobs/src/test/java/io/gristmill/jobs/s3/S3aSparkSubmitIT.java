package io.gristmill.jobs.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.snapshot.Json;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.testing.SharedData;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged job under {@code spark-submit} with its output on an S3-compatible server (S3Proxy
 * on 127.0.0.1, started here): S3A and its AWS SDK come from {@code lib/} through {@code --jars},
 * beside Spark's jars and netty, as on a cluster without hadoop-aws of its own, and the S3A
 * settings from a {@code core-site.xml} on the driver's class path (what {@code HADOOP_CONF_DIR} is
 * under a Spark distribution's {@code spark-submit}). Runs after {@code package}.
 */
class S3aSparkSubmitIT {
  private static final Path TARGET = Path.of(System.getProperty("gristmill.jobs.target", "target"));
  private static final Path REPO = SharedData.repoDir();
  private static final String BUCKET = "gristmill-s3a-submit";

  /**
   * spark-lib/ without S3A and the AWS SDK (jars with classes under {@code
   * org/apache/hadoop/fs/s3a/} or {@code software/amazon/}): a Spark distribution without
   * hadoop-aws, so that S3A loads only from {@code --jars}, in Spark's child class loader.
   */
  private static List<String> sparkWithoutS3a() throws Exception {
    List<String> keep = new ArrayList<>();
    try (Stream<Path> s = Files.list(TARGET.resolve("spark-lib"))) {
      for (Path jar : s.sorted().toList()) {
        boolean aws;
        try (JarFile j = new JarFile(jar.toFile())) {
          aws =
              j.stream()
                  .map(JarEntry::getName)
                  .anyMatch(
                      n ->
                          n.startsWith("org/apache/hadoop/fs/s3a/")
                              || n.startsWith("software/amazon/"));
        }
        if (!aws) {
          keep.add(jar.toString());
        }
      }
    }
    return keep;
  }

  @Test
  void curateUnderSparkSubmitPublishesToS3a(@TempDir Path tmp) throws Exception {
    Path appJar = TARGET.resolve("gristmill-jobs.jar");
    assertThat(appJar).exists();
    List<String> libJars;
    try (Stream<Path> s = Files.list(TARGET.resolve("lib"))) {
      libJars = s.map(Path::toString).sorted().toList();
    }
    assertThat(libJars).anyMatch(j -> j.contains("hadoop-aws-"));
    assertThat(libJars).as("no AWS SDK bundle in lib/").noneMatch(j -> j.contains("bundle-2."));
    List<String> sparkJars;
    try (Stream<Path> s = Files.list(TARGET.resolve("spark-lib"))) {
      sparkJars = s.map(j -> j.getFileName().toString()).toList();
    }
    assertThat(
            libJars.stream()
                .map(j -> Path.of(j).getFileName().toString())
                .filter(n -> n.startsWith("netty-") && n.endsWith(".Final.jar")))
        .as("every netty jar in lib/ is one Spark ships, at its version")
        .isSubsetOf(sparkJars);
    Path config = S3aFixtures.config(tmp.resolve("conf"));
    try (LocalS3Server s3 = new LocalS3Server(BUCKET)) {
      Map<String, String> s3a = S3aFixtures.s3aOptions(s3.endpoint());
      Path confDir = Files.createDirectories(tmp.resolve("hadoop-conf"));
      Files.writeString(confDir.resolve("core-site.xml"), S3aFixtures.siteXml(BUCKET, s3a));
      String root = "s3a://" + BUCKET + "/out";

      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      String flags = System.getProperty("gristmill.jvm.flags", "");
      cmd.addAll(Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList());
      cmd.addAll(
          List.of(
              "-cp",
              confDir + File.pathSeparator + String.join(File.pathSeparator, sparkWithoutS3a()),
              "org.apache.spark.deploy.SparkSubmit",
              "--master",
              "local[2]",
              "--conf",
              "spark.ui.enabled=false",
              "--class",
              "io.gristmill.jobs.GristmillMain",
              "--jars",
              libJars.stream().collect(Collectors.joining(",")),
              appJar.toString(),
              "curate",
              "--config",
              config.toString(),
              "--output",
              root));
      Path log = tmp.resolve("spark-submit-s3a.log");
      Process p =
          new ProcessBuilder(cmd)
              .directory(REPO.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean done = p.waitFor(5, TimeUnit.MINUTES);
      if (!done) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(done).as("finished within 5 minutes; output:\n" + output).isTrue();
      assertThat(p.exitValue()).as("exit code; output:\n" + output).isZero();
      assertThat(output).contains("Snapshot written to: " + root + "/demo/snapshots/");

      String id = new String(s3.read(BUCKET, "out/demo/LATEST"), StandardCharsets.UTF_8).trim();
      String snap = "out/demo/snapshots/" + id + "/";
      Map<String, Long> keys = s3.list(BUCKET, "out/demo/");
      assertThat(keys)
          .containsKeys(
              snap + "manifest.json",
              snap + "data/part-00000.parquet",
              snap + "data/part-00001.parquet");
      assertThat(keys.keySet()).noneMatch(k -> k.endsWith("/LOCK") || k.contains("_temporary"));
      SnapshotManifest m =
          Json.mapper().readValue(s3.read(BUCKET, snap + "manifest.json"), SnapshotManifest.class);
      assertThat(m.snapshotId()).isEqualTo(id);
      long read = m.inputs().stream().mapToLong(SnapshotManifest.InputFile::rowsRead).sum();
      assertThat(read).isEqualTo(m.outputs().get("data") + m.outputs().get("rejected"));
      assertThat(m.outputs().get("data")).isPositive();
      assertThat(s3.events())
          .as("LATEST is one PUT, not a copy")
          .filteredOn(e -> e.key().equals("out/demo/LATEST"))
          .extracting(LocalS3Server.Event::op)
          .containsExactly("put");
    }
  }
}
