package io.gristmill.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.testing.SharedData;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.rollout.testing.StandaloneCluster;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refresh} of the demo corpus submitted through {@code SparkSubmit} (the packaged thin jar
 * and its lib/) to a real standalone cluster on 127.0.0.1 (a Master and two one-core Workers from
 * the Maven jars, {@link StandaloneCluster}), compared with the same submission on {@code
 * local[2]}: the snapshot's rows (sorted) must be identical; the data files' sha256 is reported and
 * asserted where Parquet output is byte-deterministic. Executors are killed with SIGKILL ({@link
 * ProcessHandle#destroyForcibly}, found as the workers' child JVMs) while near-dedup runs and while
 * the snapshot is written: the run must complete with identical rows. Every child JVM (cluster,
 * driver) is stopped by PID, also when a test fails. Timings go to stdout and {@code
 * target/cluster-timings.txt}.
 */
class ClusterRefreshIT {
  private static final Path TARGET = Path.of(System.getProperty("gristmill.jobs.target", "target"));
  private static final Path REPO = SharedData.repoDir();

  @TempDir static Path tmp;
  static StandaloneCluster cluster;
  static SparkSession reader;
  static Path config;
  static Path localOut;
  static final List<String> timings = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    // The demo config with absolute input paths: executors run in the workers' own folders.
    String yaml = Files.readString(REPO.resolve("conf/demo.yaml"), StandardCharsets.UTF_8);
    yaml = yaml.replace("path: conf/", "path: " + REPO.resolve("conf") + "/");
    // The curation stages only (ingest, exact and near dedup, decontamination): what refresh
    // recovers is under test here, not the annotate/mix stages after them.
    int annotate = yaml.indexOf("\nannotate:");
    if (annotate >= 0) {
      yaml = yaml.substring(0, annotate + 1);
    }
    config = Files.writeString(tmp.resolve("demo.yaml"), yaml);
    long t0 = System.nanoTime();
    cluster = StandaloneCluster.start(2, 1);
    time("cluster start (master + 2 workers)", t0);
    localOut = tmp.resolve("local");
    long t1 = System.nanoTime();
    submit("local[2]", localOut, null);
    time("refresh on local[2] through SparkSubmit", t1);
    reader = SparkTestBase.newSession(2);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (reader != null) {
        reader.stop();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
      Files.write(TARGET.resolve("cluster-timings.txt"), timings, StandardCharsets.UTF_8);
    }
  }

  static void time(String what, long startNanos) {
    String line =
        String.format(
            java.util.Locale.ROOT, "%-60s %6.1f s", what, (System.nanoTime() - startNanos) / 1e9);
    System.out.println("cluster timing: " + line);
    timings.add(line);
  }

  static List<String> jvmFlags() {
    String flags = System.getProperty("gristmill.jvm.flags", "");
    return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * A fault to inject while the driver runs: once {@code target} names an executor JVM (tested on
   * the driver's log and the output tree, as one text), that JVM is SIGKILLed. {@code driverFlags}
   * go on the driver's command line (e.g. a test-only fault hook's property).
   */
  record Fault(String name, List<String> driverFlags, Function<String, Optional<Long>> target) {
    /** Kills any one executor once {@code when} holds. */
    static Fault anyExecutorWhen(String name, Predicate<String> when) {
      return new Fault(name, List.of(), text -> when.test(text) ? anyExecutor() : Optional.empty());
    }
  }

  /**
   * Submits {@code refresh} to {@code master}; with a fault, SIGKILLs one executor JVM when the
   * fault's condition first holds (tested on the driver's log and the output tree).
   *
   * @return the killed executor's PID, if one was killed
   */
  static Optional<Long> submit(String master, Path out, Fault fault) throws Exception {
    List<String> libJars;
    try (Stream<Path> s = Files.list(TARGET.resolve("lib"))) {
      libJars = s.map(Path::toString).sorted().toList();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(jvmFlags());
    if (fault != null) {
      cmd.addAll(fault.driverFlags());
    }
    cmd.addAll(
        List.of(
            "-cp",
            TARGET.resolve("spark-lib") + File.separator + "*",
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            master,
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.executor.memory=900m",
            "--conf",
            "spark.executor.extraJavaOptions=" + cluster.executorJavaOptions(),
            "--conf",
            "spark.task.maxFailures=8",
            // The shuffle partitions the local[2] run gets (SparkSessions: 4 per core): with
            // Spark's cluster default of 200, each of the run's shuffles on this 31-row corpus
            // was 200 one-core tasks, and a cluster run took 4-5x the local one (about 190 s).
            "--conf",
            "spark.sql.shuffle.partitions=8",
            "--class",
            "io.gristmill.jobs.GristmillMain",
            "--jars",
            String.join(",", libJars),
            TARGET.resolve("gristmill-jobs.jar").toString(),
            "refresh",
            "--config",
            config.toString(),
            "--output",
            out.toString()));
    Path log = tmp.resolve(out.getFileName() + "-" + System.nanoTime() + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    Optional<Long> killed = Optional.empty();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (p.isAlive() && System.nanoTime() < deadline) {
        if (fault != null && killed.isEmpty()) {
          String text = Files.readString(log, StandardCharsets.UTF_8) + "\n" + tree(out);
          Optional<Long> target = fault.target().apply(text);
          if (target.isPresent()) {
            killed = kill(target.get());
            System.out.println(
                "cluster fault " + fault.name() + ": executor PID " + target.get() + " killed");
          }
        }
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(p.isAlive()).as("finished within 10 minutes; output:\n" + output).isFalse();
      assertThat(p.exitValue()).as("exit code; output:\n" + output).isZero();
      assertThat(output).contains("Snapshot written to: ");
      return killed;
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /** Every path under {@code dir}, one per line (empty when it does not exist yet). */
  static String tree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return "";
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(Path::toString).collect(Collectors.joining("\n"));
    } catch (java.io.UncheckedIOException e) {
      // A folder renamed while we walk it (Spark's committer): the next poll sees the new tree.
      return "";
    }
  }

  /** The executor JVMs (CoarseGrainedExecutorBackend under a worker), by PID. */
  static List<ProcessHandle> executors() {
    return ProcessHandle.current()
        .descendants()
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains("CoarseGrainedExecutorBackend"))
                    .orElse(false))
        .toList();
  }

  /** The PID of any one executor JVM, if one runs. */
  static Optional<Long> anyExecutor() {
    return executors().stream().findFirst().map(ProcessHandle::pid);
  }

  /**
   * SIGKILLs the executor JVM {@code pid}; fails when {@code pid} is no executor of the cluster.
   */
  static Optional<Long> kill(long pid) {
    ProcessHandle h =
        executors().stream()
            .filter(e -> e.pid() == pid)
            .findFirst()
            .orElseThrow(() -> new AssertionError("PID " + pid + " is no executor JVM"));
    assertThat(h.destroyForcibly()).as("SIGKILL sent to executor " + pid).isTrue();
    return Optional.of(pid);
  }

  static Path snapshot(Path out) throws Exception {
    String id = Files.readString(out.resolve("demo/LATEST")).trim();
    Path s = out.resolve("demo/snapshots").resolve(id);
    assertThat(s.resolve("manifest.json")).exists();
    return s;
  }

  static List<String> sortedRows(Path dir) {
    List<String> rows =
        new ArrayList<>(reader.read().parquet(dir.toString()).toJSON().collectAsList());
    rows.sort(null);
    return rows;
  }

  static Map<String, String> sha256s(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        if (p.getFileName().toString().endsWith(".parquet")) {
          byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
          out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(d));
        }
      }
    }
    return out;
  }

  /** Same rows (sorted) in data/ and rejected/ as the local run; reports the byte comparison. */
  static void assertSameAsLocal(Path out, String what) throws Exception {
    Path local = snapshot(localOut);
    Path got = snapshot(out);
    List<String> expected = sortedRows(local.resolve("data"));
    assertThat(expected).isNotEmpty();
    assertThat(sortedRows(got.resolve("data"))).as(what + ": data rows").isEqualTo(expected);
    if (Files.exists(local.resolve("rejected"))) {
      assertThat(sortedRows(got.resolve("rejected")))
          .as(what + ": rejected rows")
          .isEqualTo(sortedRows(local.resolve("rejected")));
    }
    boolean sameBytes = sha256s(local.resolve("data")).equals(sha256s(got.resolve("data")));
    System.out.println(
        "cluster " + what + ": data file sha256 identical to local run: " + sameBytes);
    timings.add(what + ": data file sha256 identical to the local run: " + sameBytes);
  }

  @Test
  void anExecutorKilledDuringTheSnapshotWriteCostsNoRow() throws Exception {
    Path out = tmp.resolve("kill-write");
    long t0 = System.nanoTime();
    Optional<Long> killed =
        submit(
            cluster.masterUrl(),
            out,
            Fault.anyExecutorWhen("write", text -> text.contains("/data/_temporary")));
    time("refresh, executor SIGKILLed during the snapshot write", t0);
    assertThat(killed).as("an executor was killed during the write").isPresent();
    assertSameAsLocal(out, "executor killed during the write");
  }

  /**
   * An executor SIGKILLed mid-stage in near-dedup: the driver sets NearDedupSparkStage's test-only
   * fault hook ({@code gristmill.fault.near_dedup.stall_dir}), so the first task of the candidates
   * job (after the signatures are cached on the executors) writes its executor's PID to a file and
   * sleeps; that executor is killed, its cached blocks are lost with it, and the run must recompute
   * them and complete with the local run's rows.
   */
  @Test
  void anExecutorKilledMidStageInNearDedupCostsNoRow() throws Exception {
    Path out = tmp.resolve("kill-near-dedup");
    Path stall = Files.createDirectories(tmp.resolve("stall-near-dedup"));
    Path pidFile = stall.resolve("near_dedup.pid");
    long t0 = System.nanoTime();
    Optional<Long> killed =
        submit(
            cluster.masterUrl(),
            out,
            new Fault(
                "near_dedup",
                List.of("-Dgristmill.fault.near_dedup.stall_dir=" + stall),
                text -> {
                  if (!Files.exists(pidFile)) {
                    return Optional.empty();
                  }
                  try {
                    return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }));
    time("refresh, executor SIGKILLed mid-stage in near-dedup", t0);
    assertThat(killed).as("the stalled near-dedup task's executor was killed").isPresent();
    assertThat(Files.readString(pidFile).trim()).isEqualTo(String.valueOf(killed.get()));
    assertSameAsLocal(out, "executor killed mid-stage in near-dedup");
  }
}
