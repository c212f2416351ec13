package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.testing.SharedData;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged job as a user runs it: under {@code spark-submit} from the thin application jar
 * (Spark not inside it), and from the {@code gristmill} launcher. Runs after {@code package}.
 */
class SparkSubmitIT {
  private static final Path TARGET = Path.of(System.getProperty("gristmill.jobs.target", "target"));
  private static final Path REPO = SharedData.repoDir();

  private static List<String> jvmFlags() {
    String flags = System.getProperty("gristmill.jvm.flags", "");
    return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  private static String run(List<String> cmd, Path log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("GRISTMILL_TARGET", TARGET.toAbsolutePath().toString());
    Process p = pb.start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("finished within 5 minutes; output:\n" + output).isTrue();
    assertThat(p.exitValue()).as("exit code; output:\n" + output).isZero();
    return output;
  }

  @Test
  void curateRunsUnderSparkSubmitFromTheThinJar(@TempDir Path out) throws Exception {
    Path appJar = TARGET.resolve("gristmill-jobs.jar");
    assertThat(appJar).exists();
    try (Stream<Path> s = Files.list(TARGET.resolve("lib"))) {
      List<String> libJars = s.map(Path::toString).sorted().toList();
      assertThat(libJars).noneMatch(j -> j.contains("spark-core"));
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmFlags());
      cmd.addAll(
          List.of(
              "-cp",
              TARGET.resolve("spark-lib") + File.separator + "*",
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
              "conf/demo.yaml",
              "--output",
              out.toString()));
      String output = run(cmd, out.resolve("../spark-submit.log").normalize());
      assertThat(output).contains("Snapshot written to: ");
      String id = Files.readString(out.resolve("demo/LATEST")).trim();
      assertThat(out.resolve("demo/snapshots").resolve(id).resolve("manifest.json")).exists();
    }
  }

  @Test
  void launcherRunsCurateThenInspect(@TempDir Path out) throws Exception {
    Path launcher = REPO.resolve("gristmill");
    String curate =
        run(
            List.of(
                launcher.toString(),
                "curate",
                "--config",
                "conf/demo.yaml",
                "--output",
                out.toString()),
            out.resolve("../launcher-curate.log").normalize());
    assertThat(curate).contains("Snapshot written to: " + out.resolve("demo/snapshots"));
    String inspect =
        run(
            List.of(launcher.toString(), "inspect", out.resolve("demo").toString()),
            out.resolve("../launcher-inspect.log").normalize());
    assertThat(inspect).contains("exact_dedup").contains("data: ");
  }
}
