package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config mistakes stop the run before Spark starts, with exit code 2 and a precise message. */
class CliConfigErrorsTest {
  private static String[] run(String... args) {
    CliRunner.Outcome o = CliRunner.execute(args);
    return new String[] {Integer.toString(o.code()), o.out(), o.err()};
  }

  @Test
  void misspelledKeyIsNamed(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("typo.yaml");
    Files.writeString(
        cfg,
        "dataset: d\nsources:\n  - {name: a, path: x.jsonl, format: messages}\nexact_dedupe: {}\n");
    String[] r = run("curate", "--config", cfg.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2])
        .startsWith("gristmill: Cannot load config " + cfg + ": unknown key 'exact_dedupe'.")
        .contains("exact_dedup");
  }

  @Test
  void outOfRangeAndMissingValues(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("range.yaml");
    Files.writeString(
        cfg, "dataset: d\noutput_files: 0\nsources:\n  - {name: a, path: x, format: messages}\n");
    String[] r = run("curate", "--config", cfg.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2])
        .contains(
            "Cannot load config "
                + cfg
                + ": key 'output_files' has invalid value '0': expected an integer in [1, 10000].");

    String[] missing = run("curate", "--config", dir.resolve("none.yaml").toString());
    assertThat(missing[0]).isEqualTo("2");
    assertThat(missing[2]).contains("the file does not exist");

    String[] noSources = run("curate", "--config", cfg.toString(), "--set", "sources=[]");
    assertThat(noSources[2]).contains("key 'sources' has invalid value '[]'");
  }

  @Test
  void unknownCommandIsAUsageError() {
    String[] r = run("frobnicate");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("Unmatched argument");
  }
}
