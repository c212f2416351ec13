package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code gristmill generate} as a user runs it from the launcher: on Karpathy's trained stories260K
 * at temperature 0 it prints exactly the greedy story documented next to the model, and nothing
 * else on stdout.
 */
class GenerateCliIT {
  @Test
  void greedyStoryFromTheLauncherMatchesTheDocumentedOutput() throws Exception {
    Path model = SharedData.require("models/stories260K");
    String md = Files.readString(model.resolve("stories260K.md"), StandardCharsets.UTF_8);
    int start = md.indexOf("-t 0.0\n") + "-t 0.0\n".length();
    String expected = md.substring(start, md.indexOf("```", start));

    Path repo = SharedData.repoDir();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    repo.resolve("gristmill").toString(),
                    "generate",
                    "--model",
                    model.toString(),
                    "--prompt",
                    "",
                    "--max-new-tokens",
                    "256",
                    "--temperature",
                    "0"))
            .directory(repo.toFile());
    pb.environment()
        .put(
            "GRISTMILL_TARGET",
            Path.of(System.getProperty("gristmill.jobs.target", "target"))
                .toAbsolutePath()
                .toString());
    Path err = Files.createTempFile("generate", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    byte[] stdout = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    assertThat(new String(stdout, StandardCharsets.UTF_8) + "\n").isEqualTo(expected);
  }
}
