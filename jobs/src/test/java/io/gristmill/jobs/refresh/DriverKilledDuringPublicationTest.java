package io.gristmill.jobs.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.snapshot.DatasetLock;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.jobs.cli.GristmillCli;
import io.gristmill.jobs.curate.CurateConfig;
import io.gristmill.jobs.curate.CurateJob;
import io.gristmill.jobs.curate.RefreshJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Issue 14 section 6: the driver JVM of a {@code refresh} SIGKILLed at each step of publication.
 * The nightly dataset has a complete snapshot A (day one); a child JVM ({@link
 * StallAtPublishStepMain}, {@code local[2]}) runs {@code refresh} with day two's file and stops at
 * one step; the test checks the output tree shows that step was reached (what is written, what is
 * not yet), SIGKILLs the child by PID ({@link Process#destroyForcibly}), and then checks: {@code
 * LATEST} still names A, {@code inspect} works and reports A, the dead run's lock is left behind
 * naming its PID; a rerun of {@code refresh} takes the stale lock over, removes the dead run's
 * incomplete snapshot folder, builds on A and gives exactly the rows (data and rejected) of a clean
 * refresh from A. One child run per step, a five-row fixture. Steps: {@code write:rejected} (data/
 * written, rejected/ not), {@code summary} (every table written, no summary or manifest), {@code
 * manifest} (summary written, no manifest), {@code latest} (manifest written, no LATEST temp file)
 * and {@value StallingLocalFs#RENAME_STEP} (the LATEST temp file written, not yet renamed).
 */
class DriverKilledDuringPublicationTest extends SparkTestBase {
  private static final String DATASET = "nightly";
  private static final String LONG =
      "Plan a three day walking trip through the hills north of the old mill town, with a"
          + " stop at the lake on the second day, a list of what to pack for rain, and a short"
          + " note on where to buy bread and cheese for lunch along the way each day";

  @TempDir static Path tmp;
  static Path in;
  static Path yaml;
  static Path base;
  static String snapshotA;
  static List<String> cleanData;
  static List<String> cleanRejected;

  private static String row(String id, String user, String assistant) {
    return String.format(
        "{\"id\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"},"
            + "{\"role\":\"assistant\",\"content\":\"%s\"}]}%n",
        id, user, assistant);
  }

  private static CurateConfig config(Path out) {
    try {
      return ConfigLoader.fromString(
          Files.readString(yaml),
          yaml.toString(),
          CurateConfig.class,
          List.of("output_root=" + out));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static java.util.Optional<CurateJob.Result> refresh(Path out) {
    CurateConfig cfg = config(out);
    return RefreshJob.run(spark, cfg, ConfigLoader.yamlMapper().valueToTree(cfg));
  }

  @BeforeAll
  static void snapshotOfDayOneAndACleanRefresh() throws Exception {
    in = Files.createDirectories(tmp.resolve("in"));
    yaml =
        Files.writeString(
            tmp.resolve("nightly.yaml"),
            "dataset: "
                + DATASET
                + "\nsources:\n  - {name: feed, path: '"
                + in
                + "/*.jsonl', format: messages}\n"
                + "near_dedup: {threshold: 0.8, min_tokens: 5}\n");
    Files.writeString(
        in.resolve("day1.jsonl"),
        row("a", "What is the boiling point of water?", "100 C at sea level.")
            + row("b", LONG, "Day one: ..."));
    base = tmp.resolve("base");
    snapshotA = refresh(base).orElseThrow().manifest().snapshotId();
    Files.writeString(
        in.resolve("day2.jsonl"),
        row("a-again", "what is the BOILING point of water?", "100 C at sea level.")
            + row("b-near", LONG + " please", "Day one: ...")
            + row("c", "Name a prime number greater than ten.", "Eleven."));
    Path clean = copyOfBase("clean");
    CurateJob.Result r = refresh(clean).orElseThrow();
    assertThat(r.manifest().previousSnapshot()).isEqualTo(snapshotA);
    cleanData = sortedRows(Path.of(r.snapshotDir(), "data"));
    cleanRejected = sortedRows(Path.of(r.snapshotDir(), "rejected"));
    assertThat(cleanData).hasSize(3);
    assertThat(cleanRejected).hasSize(2);
  }

  static Path copyOfBase(String name) throws IOException {
    Path to = tmp.resolve(name);
    try (Stream<Path> s = Files.walk(base)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, to.resolve(base.relativize(p).toString()));
      }
    }
    return to;
  }

  static List<String> sortedRows(Path dir) {
    List<String> rows =
        new ArrayList<>(spark.read().parquet(dir.toString()).toJSON().collectAsList());
    rows.sort(null);
    return rows;
  }

  /** The JVM options the child needs (module opens, Spark's flags) from this test JVM's own. */
  static List<String> childJvmFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            a ->
                a.startsWith("--add-")
                    || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || a.startsWith("-D"))
        .toList();
  }

  @ParameterizedTest(name = "driver killed at {0}")
  @ValueSource(
      strings = {"write:rejected", "summary", "manifest", "latest", StallingLocalFs.RENAME_STEP})
  void driverKilledAtAPublicationStepLeavesLatestAndTheRerunIsIdentical(String step)
      throws Exception {
    long t0 = System.nanoTime();
    Path out = copyOfBase("kill-" + step.replace(':', '-'));
    Path dataset = out.resolve(DATASET);
    Path marker = tmp.resolve("marker-" + step.replace(':', '-'));
    String classpath = System.getProperty("java.class.path");
    assertThat(classpath).as("the test classpath").contains("test-classes");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    // A short-lived child on a 5-row fixture: the C1 compiler alone reaches the step sooner than
    // tiered compilation, whose C2 work competes for the machine's cores.
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.addAll(childJvmFlags());
    cmd.add("-D" + StallAtPublishStepMain.STEP + "=" + step);
    cmd.add("-D" + StallAtPublishStepMain.MARKER + "=" + marker);
    if (step.equals(StallingLocalFs.RENAME_STEP)) {
      cmd.add("-Dspark.hadoop.fs.AbstractFileSystem.file.impl=" + StallingLocalFs.class.getName());
    }
    cmd.addAll(
        List.of(
            "-cp",
            classpath,
            StallAtPublishStepMain.class.getName(),
            "refresh",
            "--config",
            yaml.toString(),
            "--output",
            out.toString(),
            "--master",
            "local[2]"));
    Path log = tmp.resolve("child-" + step.replace(':', '-') + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process child = pb.start();
    String atKill;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
        child.waitFor(50, TimeUnit.MILLISECONDS);
      }
      assertThat(marker)
          .as("the child reached step %s; its output:%n%s", step, Files.readString(log))
          .exists();
      atKill = Files.readString(marker);
      assertThat(atKill).contains("pid " + child.pid());
      // What the output tree holds at the kill: the step was reached, the next not yet.
      assertStateAt(step, dataset, atKill);
    } finally {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the child
    }
    assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    double killedAfter = (System.nanoTime() - t0) / 1e9;

    // LATEST still names A; inspect works and reports A; the dead run's lock names its PID.
    assertThat(Files.readString(dataset.resolve("LATEST")).trim()).isEqualTo(snapshotA);
    SnapshotStore store =
        new SnapshotStore(
            new org.apache.hadoop.fs.Path(dataset.toString()),
            new org.apache.hadoop.conf.Configuration());
    assertThat(store.latest()).contains(snapshotA);
    StringWriter inspectOut = new StringWriter();
    StringWriter inspectErr = new StringWriter();
    CommandLine cli = GristmillCli.commandLine();
    cli.setOut(new PrintWriter(inspectOut));
    cli.setErr(new PrintWriter(inspectErr));
    int inspect = cli.execute("inspect", dataset.toString());
    assertThat(inspect).as("inspect exit; stderr: %s", inspectErr).isZero();
    assertThat(inspectOut.toString()).contains(snapshotA);
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dataset.resolve(DatasetLock.FILE).toFile())
                .path("pid")
                .asLong())
        .as("the killed run's lock is left behind, naming its PID")
        .isEqualTo(child.pid());
    String killedId = killedSnapshotId(dataset);

    // The rerun: takes the stale lock over, cleans the dead run's incomplete output, builds on A.
    long t1 = System.nanoTime();
    CurateJob.Result rerun = refresh(out).orElseThrow();
    double rerunSeconds = (System.nanoTime() - t1) / 1e9;
    assertThat(rerun.manifest().previousSnapshot()).isEqualTo(snapshotA);
    assertThat(rerun.manifest().properties()).containsEntry("refresh_mode", "incremental");
    assertThat(Files.readString(dataset.resolve("LATEST")).trim())
        .isEqualTo(rerun.manifest().snapshotId());
    assertThat(dataset.resolve(DatasetLock.FILE)).doesNotExist();
    if (killedId != null) {
      boolean hadManifest = step.equals("latest") || step.equals(StallingLocalFs.RENAME_STEP);
      assertThat(Files.exists(dataset.resolve("snapshots").resolve(killedId)))
          .as("the killed run's snapshot %s (complete: %s) after the rerun", killedId, hadManifest)
          .isEqualTo(hadManifest);
    }
    try (Stream<Path> s = Files.list(dataset)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .as("no temp file of the dead run left")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
    assertThat(sortedRows(Path.of(rerun.snapshotDir(), "data"))).isEqualTo(cleanData);
    assertThat(sortedRows(Path.of(rerun.snapshotDir(), "rejected"))).isEqualTo(cleanRejected);
    System.out.printf(
        Locale.ROOT,
        "driver kill at %s: killed %.1f s after start; rerun %.1f s; at the kill: %s%n",
        step,
        killedAfter,
        rerunSeconds,
        atKill.lines().findFirst().orElse(""));
  }

  /** The id of the killed run's snapshot folder (any snapshot but A), or null if none was made. */
  static String killedSnapshotId(Path dataset) throws IOException {
    try (Stream<Path> s = Files.list(dataset.resolve("snapshots"))) {
      List<String> ids =
          s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(snapshotA)).toList();
      assertThat(ids).hasSizeLessThanOrEqualTo(1);
      return ids.isEmpty() ? null : ids.get(0);
    }
  }

  /** Asserts the output tree at the kill shows {@code step} reached and the next step not. */
  static void assertStateAt(String step, Path dataset, String atKill) throws IOException {
    String id = killedSnapshotId(dataset);
    Path snap = id == null ? null : dataset.resolve("snapshots").resolve(id);
    switch (step) {
      case "write:rejected" -> {
        assertThat(hasParquet(snap.resolve("data"))).isTrue();
        assertThat(hasParquet(snap.resolve("rejected"))).isFalse();
      }
      case "summary" -> {
        assertThat(hasParquet(snap.resolve("rejected"))).isTrue();
        assertThat(snap.resolve("near_dedup_state")).exists();
        assertThat(snap.resolve(SnapshotStore.SUMMARY)).doesNotExist();
      }
      case "manifest" -> {
        assertThat(snap.resolve(SnapshotStore.SUMMARY)).exists();
        assertThat(snap.resolve(SnapshotStore.MANIFEST)).doesNotExist();
      }
      case "latest" -> {
        assertThat(snap.resolve(SnapshotStore.MANIFEST)).exists();
        assertThat(latestTemps(dataset)).isEmpty();
      }
      case StallingLocalFs.RENAME_STEP -> {
        assertThat(snap.resolve(SnapshotStore.MANIFEST)).exists();
        List<Path> temps = latestTemps(dataset);
        assertThat(temps).as(atKill).hasSize(1);
        assertThat(Files.readString(temps.get(0)).trim()).isEqualTo(id);
      }
      default -> throw new IllegalArgumentException(step);
    }
    assertThat(Files.readString(dataset.resolve("LATEST")).trim()).isEqualTo(snapshotA);
  }

  static boolean hasParquet(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.anyMatch(
          p ->
              p.getFileName().toString().endsWith(".parquet")
                  && !p.toString().contains("_temporary"));
    }
  }

  static List<Path> latestTemps(Path dataset) throws IOException {
    try (Stream<Path> s = Files.list(dataset)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString();
                return n.startsWith(".LATEST.") && n.endsWith(".tmp");
              })
          .collect(Collectors.toList());
    }
  }
}
