package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 finding 2 at the command line, as the finding was seen: {@code export --output} pointed
 * at a published snapshot replaced its {@code data/part-00000.parquet} with HF-schema files while
 * its manifest still called it complete, and {@code hf-jsonl} into an existing folder exited 0 and
 * deleted the unrelated files there. Now both are refused and every file is left as it was.
 */
class ExportSafetyCliTest {
  private static Map<String, String> sha256s(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(
            dir.relativize(p).toString(),
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return m;
  }

  @Test
  void exportNeverOverwritesASnapshotOrDeletesWhatItDidNotWrite(@TempDir Path dir)
      throws Exception {
    Path cfg = SnapshotCliTest.config(dir, "");
    CliRunner.run("curate", "--config", cfg.toString(), "--master", "local[2]");
    Path dataset = dir.resolve("out/d");
    Path snapshot =
        dataset.resolve("snapshots").resolve(Files.readString(dataset.resolve("LATEST")).trim());
    Map<String, String> before = sha256s(dataset);

    // The snapshot itself, a new folder inside it, and a new folder inside the dataset folder:
    // each is refused, even with --overwrite, and no file of the dataset changes or appears.
    for (Path target :
        new Path[] {
          snapshot, snapshot.resolve("hf"), snapshot.resolve("data"), dataset.resolve("hf")
        }) {
      for (boolean overwrite : new boolean[] {false, true}) {
        java.util.List<String> args =
            new java.util.ArrayList<>(
                java.util.List.of(
                    "export",
                    "--snapshot",
                    snapshot.toString(),
                    "--format",
                    "hf-parquet",
                    "--output",
                    target.toString(),
                    "--master",
                    "local[2]"));
        if (overwrite) {
          args.add("--overwrite");
        }
        CliRunner.Outcome o = CliRunner.execute(args.toArray(String[]::new));
        assertThat(o.code()).as("export to %s: %s", target, o.err()).isNotZero();
        assertThat(sha256s(dataset))
            .as("the dataset folder, byte for byte, after an export to %s", target)
            .isEqualTo(before);
      }
    }

    Path other = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(other.resolve("notes.txt"), "not gristmill's");
    CliRunner.Outcome intoFolder =
        CliRunner.execute(
            "export",
            "--snapshot",
            snapshot.toString(),
            "--format",
            "hf-jsonl",
            "--output",
            other.toString(),
            "--master",
            "local[2]");
    assertThat(intoFolder.code()).as(intoFolder.err()).isNotZero();
    assertThat(intoFolder.err()).contains("--overwrite");
    assertThat(Files.readString(other.resolve("notes.txt"))).isEqualTo("not gristmill's");
    assertThat(sha256s(dataset)).isEqualTo(before);
  }
}
