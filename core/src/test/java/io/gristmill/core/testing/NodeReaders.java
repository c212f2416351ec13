package io.gristmill.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent Node readers in {@code training-bridge/js} (Arrow JS for shards, DuckDB for
 * Parquet) and parses their JSON; shared by the tests of every module that checks our files.
 */
public final class NodeReaders {
  private NodeReaders() {}

  public static Path jsDir() {
    return SharedData.repoDir().resolve("training-bridge/js");
  }

  /** Skips the calling test unless node and the installed node modules are present. */
  public static void require() {
    Path modules = jsDir().resolve("node_modules");
    assumeTrue(
        Files.isDirectory(modules.resolve("apache-arrow"))
            && Files.isDirectory(modules.resolve("@duckdb/node-api")),
        "SKIPPED: "
            + modules
            + " is absent; run `npm ci --prefix training-bridge/js` to check shards and exports"
            + " with Arrow JS and DuckDB");
    boolean node;
    try {
      node = new ProcessBuilder("node", "--version").start().waitFor() == 0;
    } catch (Exception e) {
      node = false;
    }
    assumeTrue(node, "SKIPPED: node is not on PATH; the independent readers need Node.js");
  }

  public static JsonNode run(String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("node", script));
    cmd.addAll(List.of(args));
    File err = Files.createTempFile("node-err", ".txt").toFile();
    Process p = new ProcessBuilder(cmd).directory(jsDir().toFile()).redirectError(err).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
    err.delete();
    assertThat(p.exitValue()).as("node %s failed: %s", script, stderr).isZero();
    return new ObjectMapper().readTree(out);
  }
}
