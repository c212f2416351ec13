package io.gristmill.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.snapshot.Json;
import io.gristmill.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code notebooks/snapshot-report.ipynb} runs headless ({@code jupyter nbconvert --execute}) on a
 * snapshot folder holding a {@code report.json}: no cell fails, the plots come out as images and
 * the printed tables hold the report's sources. Skips where jupyter, pandas or matplotlib is absent
 * (Debian: {@code jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib}).
 */
class SnapshotNotebookTest {
  private static final Path JUPYTER = Path.of("/usr/bin/jupyter-nbconvert");

  @Test
  void notebookExecutesOnAReportAndPlotsIt(@TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(JUPYTER),
        "Skipping the notebook check: "
            + JUPYTER
            + " is not installed"
            + " (apt-get install jupyter-nbconvert python3-ipykernel python3-pandas"
            + " python3-matplotlib)");
    assumeTrue(
        run(dir, List.of("/usr/bin/python3", "-c", "import pandas, matplotlib, ipykernel")) == 0,
        "Skipping the notebook check: /usr/bin/python3 lacks pandas, matplotlib or ipykernel");
    Path snapshot = dir.resolve("snapshot");
    Files.createDirectories(snapshot);
    Files.write(snapshot.resolve(Reports.JSON), Reports.json(ReportFixtures.full()));
    Path notebook = SharedData.repoDir().resolve("notebooks/snapshot-report.ipynb");
    Path out = dir.resolve("out");
    int code =
        run(
            dir,
            List.of(
                JUPYTER.toString(),
                "--to",
                "notebook",
                "--execute",
                "--ExecutePreprocessor.timeout=120",
                "--output-dir",
                out.toString(),
                notebook.toString()),
            "GRISTMILL_SNAPSHOT",
            snapshot.toString());
    assertThat(code)
        .as("nbconvert exit code; log:%n%s", Files.readString(dir.resolve("log")))
        .isZero();

    JsonNode executed = Json.mapper().readTree(out.resolve("snapshot-report.ipynb").toFile());
    List<String> outputTypes = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int images = 0;
    for (JsonNode cell : executed.get("cells")) {
      for (JsonNode o : cell.path("outputs")) {
        outputTypes.add(o.get("output_type").asText());
        o.path("text").forEach(t -> text.append(t.asText()));
        if (o.path("data").has("image/png")) {
          images++;
        }
      }
    }
    assertThat(outputTypes).doesNotContain("error");
    assertThat(images).as("plots rendered as images").isGreaterThanOrEqualTo(2);
    assertThat(text.toString())
        .contains("1500 rows read, 1000 kept, 500 rejected")
        .contains("mix_filter:quality")
        .contains(ReportFixtures.TRICKY_SOURCE);
  }

  private static int run(Path dir, List<String> cmd, String... env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("log").toFile());
    for (int i = 0; i < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish in 180 s: " + cmd);
    }
    return p.exitValue();
  }
}
