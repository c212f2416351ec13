package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 at the command line, without Spark: mistakes are reported before Spark starts (a bogus
 * {@code --master} proves it: starting Spark would fail with exit 1), LATEST is validated.
 */
class SnapshotCliTest {
  /** A one-source, one-row curate config in {@code dir} with {@code extra} YAML appended. */
  static Path config(Path dir, String extra) throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Files.writeString(
        in.resolve("a.jsonl"),
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"},"
            + "{\"role\":\"assistant\",\"content\":\"Hello!\"}]}\n");
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(
        cfg,
        "dataset: d\noutput_root: '"
            + dir.resolve("out")
            + "'\nsources:\n  - {name: a, path: '"
            + in
            + "/*.jsonl', format: messages}\n"
            + extra);
    return cfg;
  }

  /**
   * Finding 9, at the command line: two sources of one name were accepted without a word (the run
   * went on to Spark: exit 1 with the bogus master below). Now exit 2 before Spark starts.
   */
  @Test
  void duplicateSourceNamesAreAConfigErrorBeforeSparkStarts(@TempDir Path dir) throws Exception {
    Path cfg =
        config(dir, "  - {name: a, path: '" + dir.resolve("in") + "/*.jsonl', format: messages}\n");
    CliRunner.Outcome o =
        CliRunner.execute("curate", "--config", cfg.toString(), "--master", "bogus://no-spark");
    assertThat(o.code()).as(o.err()).isEqualTo(2);
    assertThat(o.err()).contains("sources[1].name").contains("a name no other source has");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  /** Finding 11: a missing benchmark file was reported only after ingest and dedup ran. */
  @Test
  void missingBenchmarkFileIsReportedBeforeSparkStarts(@TempDir Path dir) throws Exception {
    Path cfg =
        config(
            dir,
            "decontamination:\n  benchmarks:\n    - {name: gsm, path: '"
                + dir.resolve("missing.jsonl")
                + "', fields: [question]}\n");
    CliRunner.Outcome o =
        CliRunner.execute("curate", "--config", cfg.toString(), "--master", "bogus://no-spark");
    assertThat(o.code()).as(o.err()).isEqualTo(3);
    assertThat(o.err())
        .startsWith(
            "gristmill: Cannot read source 'benchmark gsm': no file matches '"
                + dir.resolve("missing.jsonl")
                + "'.");
    CliRunner.Outcome r =
        CliRunner.execute("refresh", "--config", cfg.toString(), "--master", "bogus://no-spark");
    assertThat(r.code()).as(r.err()).isEqualTo(3);
    assertThat(dir.resolve("out")).doesNotExist();
  }

  /**
   * Found running conf/mixtures/tulutalk.yaml before training its classifier: the run ingested,
   * deduplicated and decontaminated for four minutes and then failed with exit 1 (PATH_NOT_FOUND
   * from Spark ML). A classifier folder without a saved model is exit 5 before Spark starts.
   */
  @Test
  void missingTaskClassifierIsReportedBeforeSparkStarts(@TempDir Path dir) throws Exception {
    Path cfg = config(dir, "annotate:\n  classifier: '" + dir.resolve("no-model") + "'\n");
    for (String command : List.of("curate", "refresh")) {
      CliRunner.Outcome o =
          CliRunner.execute(command, "--config", cfg.toString(), "--master", "bogus://no-spark");
      assertThat(o.code()).as(o.err()).isEqualTo(5);
      assertThat(o.err())
          .startsWith("gristmill: Cannot load the task classifier " + dir.resolve("no-model"))
          .contains("gristmill classifier train");
    }
    assertThat(dir.resolve("out")).doesNotExist();
  }

  /** Finding 8: an output root inside an input folder re-ingested the previous snapshot. */
  @Test
  void outputRootInsideAnInputFolderIsRefusedBeforeSparkStarts(@TempDir Path dir) throws Exception {
    Path cfg = config(dir, "");
    CliRunner.Outcome o =
        CliRunner.execute(
            "curate",
            "--config",
            cfg.toString(),
            "--set",
            "sources[0].path=" + dir.resolve("in"),
            "--output",
            dir.resolve("in/gristmill").toString(),
            "--master",
            "bogus://no-spark");
    assertThat(o.code()).as(o.err()).isEqualTo(2);
    assertThat(o.err())
        .contains("it is inside the folder")
        .contains("so the next run would read its own snapshots back as input");
  }

  /** Finding 8: a LATEST of {@code ../..} made inspect read another dataset's snapshot. */
  @Test
  void inspectRefusesALatestThatPointsOutsideTheDataset(@TempDir Path root) throws Exception {
    Path other = root.resolve("other/snapshots/s1");
    Files.createDirectories(other);
    Files.writeString(
        other.resolve("manifest.json"),
        "{\"format_version\":2,\"dataset\":\"other\",\"snapshot_id\":\"s1\",\"job\":\"curate\","
            + "\"outputs\":{\"data\":1},\"stages\":[],\"details\":[],\"inputs\":[]}");
    Files.createDirectories(root.resolve("ds/snapshots"));
    Files.writeString(root.resolve("ds/LATEST"), "../../other/snapshots/s1\n");
    CliRunner.Outcome o = CliRunner.execute("inspect", root.resolve("ds").toString());
    assertThat(o.code()).as(o.err()).isEqualTo(3);
    assertThat(o.err())
        .contains("its LATEST file holds '../../other/snapshots/s1', which is not a snapshot id");
    assertThat(o.out()).doesNotContain("s1");

    Files.write(root.resolve("ds/LATEST"), new byte[] {(byte) 0xc3, 0x28, 0x00, (byte) 0xfe});
    CliRunner.Outcome bytes = CliRunner.execute("inspect", root.resolve("ds").toString());
    assertThat(bytes.code()).as(bytes.err()).isEqualTo(3);
    assertThat(bytes.err()).contains("which is not a snapshot id").doesNotContain("Exception");
  }

  /**
   * The JSON line every run ends with, for log collectors; stdout's last line stays for scripts.
   */
  @Test
  void everyRunEndsWithOneJsonSummaryLine(@TempDir Path dir) throws Exception {
    Path cfg = config(dir, "");
    CliRunner.Outcome dry = CliRunner.execute("refresh", "--config", cfg.toString(), "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("would run: curate (the dataset has no snapshot yet)")
        .contains("would read 1 file(s):");
    assertThat(dir.resolve("out")).as("--dry-run writes nothing").doesNotExist();
    var line =
        com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .build()
            .readTree(lastLine(dry.err()));
    assertThat(line.get("gristmill_run").asInt()).isEqualTo(1);
    assertThat(line.get("command").asText()).isEqualTo("refresh");
    assertThat(line.get("status").asText()).isEqualTo("ok");
    assertThat(line.get("exit_code").asInt()).isZero();
    assertThat(line.get("dataset").asText()).isEqualTo("d");
    assertThat(line.get("refresh_mode").asText()).isEqualTo("curate");

    CliRunner.Outcome bad =
        CliRunner.execute("curate", "--config", cfg.toString(), "--set", "dataset=..");
    assertThat(bad.code()).isEqualTo(2);
    var err =
        com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .build()
            .readTree(lastLine(bad.err()));
    assertThat(err.get("status").asText()).isEqualTo("error");
    assertThat(err.get("exit_code").asInt()).isEqualTo(2);
    assertThat(err.get("error").asText()).contains("key 'dataset' has invalid value '..'");
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines[lines.length - 1];
  }
}
