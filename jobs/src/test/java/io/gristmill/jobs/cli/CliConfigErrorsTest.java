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

  /** Issue 10: every job command's help lists its own config keys, not curate's. */
  @Test
  void everyHelpShowsItsOwnCommandsKeys() {
    java.util.Map<String, String> own =
        java.util.Map.of(
            "curate", "near_dedup.threshold",
            "refresh", "exact_dedup.source_priority",
            "rollout", "generation.max_new_tokens",
            "score", "advantage.variant",
            "value-model", "select_output",
            "export", "sft.max_unknown_token_rate");
    own.forEach(
        (command, key) -> {
          CliRunner.Outcome o = CliRunner.execute(command, "--help");
          assertThat(o.code()).as(command).isZero();
          assertThat(o.out())
              .as("%s --help", command)
              .contains("Config keys of " + command)
              .contains(key);
          if (!command.equals("curate") && !command.equals("refresh")) {
            assertThat(o.out()).as("%s --help", command).doesNotContain("exact_dedup");
          }
        });
  }

  /**
   * Issue 10: export without --config (the tokenizer is required) and a command pointed at the
   * wrong kind of dataset stop before Spark starts, with exit 2.
   */
  @Test
  void exportWithoutTokenizerAndWrongKindsFailBeforeSpark(@TempDir Path dir) throws Exception {
    Path ds = dir.resolve("out/curated");
    Path snap = ds.resolve("snapshots/20260101T000000Z-abcdef");
    Files.createDirectories(snap.resolve("data"));
    Files.writeString(ds.resolve("LATEST"), "20260101T000000Z-abcdef\n");
    Files.writeString(
        snap.resolve("manifest.json"),
        "{\"format_version\": 2, \"dataset\": \"curated\", \"snapshot_id\":"
            + " \"20260101T000000Z-abcdef\", \"job\": \"curate\", \"kind\": \"conversation\"}");
    String[] sft =
        run(
            "export",
            "--snapshot",
            ds.toString(),
            "--format",
            "shards-sft",
            "--output",
            dir.resolve("shards").toString());
    assertThat(sft[0]).isEqualTo("2");
    assertThat(sft[2]).contains("sft.tokenizer");
    assertThat(org.apache.spark.sql.SparkSession.getActiveSession().isEmpty()).isTrue();

    String[] rl =
        run(
            "export",
            "--snapshot",
            ds.toString(),
            "--format",
            "shards-rl",
            "--output",
            dir.resolve("rl").toString());
    assertThat(rl[0]).isEqualTo("2");
    assertThat(rl[2])
        .contains("it holds a 'conversation' dataset (written by gristmill curate)")
        .contains("gristmill score");

    Path score = dir.resolve("score.yaml");
    Files.writeString(score, "input: {path: '" + ds + "'}\nrewards: {default: {type: math}}\n");
    String[] sc = run("score", "--config", score.toString());
    assertThat(sc[0]).isEqualTo("2");
    assertThat(sc[2]).contains("Cannot run score on").contains("gristmill rollout");
    assertThat(dir.resolve("shards")).doesNotExist();
  }
}
