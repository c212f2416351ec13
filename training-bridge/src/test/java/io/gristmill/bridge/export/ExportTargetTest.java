package io.gristmill.bridge.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export publication without Spark: staging beside the target, refusals, renames. */
class ExportTargetTest {
  @TempDir Path tmp;
  final Configuration conf = new Configuration();

  static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static int exitCode(Throwable t) {
    return ((GristmillException) t).kind().exitCode();
  }

  @Test
  void anExportIsStagedBesideItsTargetAndAppearsOnlyAtPublication() throws Exception {
    Path target = tmp.resolve("out");
    ExportTarget t = ExportTarget.check(target.toString(), false, conf);
    Path staging = Path.of(new org.apache.hadoop.fs.Path(t.staging()).toUri());
    assertThat(staging.getParent()).isEqualTo(tmp);
    assertThat(staging.getFileName().toString()).startsWith(".out.export-");
    Files.writeString(staging.resolve("manifest.json"), "{\"job\":\"export\"}");
    assertThat(target).doesNotExist();
    t.publish();
    assertThat(names(target)).containsExactly("manifest.json");
    assertThat(names(tmp)).containsExactly("out");
  }

  @Test
  void anEmptyExistingTargetReceivesTheStagedFilesAndKeepsItsFolder() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("empty"));
    ExportTarget t = ExportTarget.check(target.toString(), false, conf);
    Path staging = Path.of(new org.apache.hadoop.fs.Path(t.staging()).toUri());
    Files.createDirectories(staging.resolve("data"));
    Files.writeString(staging.resolve("data/part-00000.jsonl"), "{}\n");
    Files.writeString(staging.resolve("manifest.json"), "{\"job\":\"export\"}");
    t.publish();
    assertThat(names(target)).containsExactly("data", "manifest.json");
    assertThat(names(tmp)).containsExactly("empty");
  }

  @Test
  void filesThatAppearInTheTargetDuringTheRunAreNeverReplacedWithoutOverwrite() throws Exception {
    Path target = tmp.resolve("raced");
    ExportTarget t = ExportTarget.check(target.toString(), false, conf);
    Path staging = Path.of(new org.apache.hadoop.fs.Path(t.staging()).toUri());
    Files.writeString(staging.resolve("manifest.json"), "{\"job\":\"export\"}");
    Files.createDirectories(target);
    Files.writeString(target.resolve("theirs.txt"), "someone else's");
    assertThatThrownBy(t::publish)
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("it holds 'theirs.txt'")
        .satisfies(e -> assertThat(exitCode(e)).isEqualTo(4));
    assertThat(names(target)).containsExactly("theirs.txt");
    assertThat(staging).doesNotExist();
  }

  @Test
  void overwriteReplacesAnEarlierExportOnlyAtPublicationAndLeavesNothingAside() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("previous"));
    Files.writeString(target.resolve("manifest.json"), "{\"job\":\"export\",\"n\":1}");
    Files.writeString(target.resolve("old.txt"), "old");
    assertThatThrownBy(() -> ExportTarget.check(target.toString(), false, conf))
        .hasMessageContaining("pass --overwrite to replace it");
    ExportTarget t = ExportTarget.check(target.toString(), true, conf);
    Path staging = Path.of(new org.apache.hadoop.fs.Path(t.staging()).toUri());
    Files.writeString(staging.resolve("manifest.json"), "{\"job\":\"export\",\"n\":2}");
    assertThat(Files.readString(target.resolve("old.txt"))).isEqualTo("old");
    t.publish();
    assertThat(names(target)).containsExactly("manifest.json");
    assertThat(Files.readString(target.resolve("manifest.json"))).contains("\"n\":2");
    assertThat(names(tmp)).containsExactly("previous");
  }

  @Test
  void aDatasetFolderOrSnapshotIsNeverATargetNorAParentOfOneEvenWithOverwrite() throws Exception {
    Path dataset = Files.createDirectories(tmp.resolve("root/demo"));
    Files.writeString(dataset.resolve("LATEST"), "s1\n");
    Path snap = Files.createDirectories(dataset.resolve("snapshots/s1/data"));
    Files.writeString(snap.resolve("part-00000.parquet"), "PAR1");
    Files.writeString(
        dataset.resolve("snapshots/s1/manifest.json"), "{\"job\":\"curate\",\"kind\":\"x\"}");
    for (boolean overwrite : new boolean[] {false, true}) {
      for (Path p :
          List.of(
              dataset,
              dataset.resolve("snapshots/s1"),
              dataset.resolve("snapshots/s1/data"),
              dataset.resolve("exports/new"),
              dataset.resolve("snapshots/s1/hf"))) {
        assertThatThrownBy(() -> ExportTarget.check(p.toString(), overwrite, conf))
            .as("%s (overwrite %s)", p, overwrite)
            .isInstanceOf(GristmillException.class)
            .hasMessageContaining("Gristmill")
            .satisfies(e -> assertThat(exitCode(e)).isEqualTo(4));
      }
    }
    // An output root holding a dataset folder is refused with --overwrite too.
    assertThatThrownBy(() -> ExportTarget.check(tmp.resolve("root").toString(), true, conf))
        .hasMessageContaining("a Gristmill dataset folder in ");
    assertThat(Files.readString(snap.resolve("part-00000.parquet"))).isEqualTo("PAR1");
    assertThat(names(dataset)).containsExactly("LATEST", "snapshots");
    assertThat(names(dataset.resolve("snapshots/s1"))).containsExactly("data", "manifest.json");
  }

  @Test
  void abandoningRemovesOnlyTheStagingFolder() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("kept"));
    Files.writeString(tmp.resolve("neighbour.txt"), "n");
    ExportTarget t = ExportTarget.check(target.toString(), false, conf);
    Path staging = Path.of(new org.apache.hadoop.fs.Path(t.staging()).toUri());
    Files.writeString(staging.resolve("half-written"), "x");
    t.abandon();
    t.abandon();
    assertThat(names(tmp)).containsExactly("kept", "neighbour.txt");
    assertThat(names(target)).isEmpty();
  }

  @Test
  void aFileIsNoTarget() throws Exception {
    Path file = Files.writeString(tmp.resolve("a.txt"), "a");
    assertThatThrownBy(() -> ExportTarget.check(file.toString(), true, conf))
        .hasMessageContaining("it is a file, not a folder");
    assertThat(Files.readString(file)).isEqualTo("a");
  }
}
