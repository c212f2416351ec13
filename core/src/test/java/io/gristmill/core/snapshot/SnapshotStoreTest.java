package io.gristmill.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gristmill.core.stage.StageReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  private static SnapshotManifest manifest(String id) {
    return new SnapshotManifest(
        SnapshotManifest.FORMAT_VERSION,
        "ds",
        id,
        "curate",
        "conversation",
        1,
        null,
        "2026-01-01T00:00:00Z",
        "dev",
        List.of(new SnapshotManifest.InputFile("s", "/in.jsonl", 10, "ab", 3, 2, 1)),
        Json.mapper().createObjectNode().put("dataset", "ds"),
        List.of(new StageReport("ingest", 3, 2, Map.of("malformed_json", 1L), 0.5)),
        List.of(),
        Map.of("data", 2L),
        Map.of(),
        null,
        1.0);
  }

  @Test
  void latestMovesOnlyOnCommitAndManifestRoundTrips(@TempDir Path root) throws Exception {
    SnapshotStore store = new SnapshotStore(root.toString(), "ds", new Configuration());
    assertThat(store.latest()).isEmpty();
    String first = SnapshotStore.newSnapshotId(Instant.parse("2026-01-01T00:00:00Z"));
    Files.createDirectories(root.resolve("ds/snapshots/" + first + "/data"));
    assertThat(store.completeSnapshots()).isEmpty();

    store.commit(manifest(first), "summary one\n");
    assertThat(store.latest()).contains(first);
    assertThat(store.readManifest(first)).isEqualTo(manifest(first));
    assertThat(Files.readString(root.resolve("ds/snapshots/" + first + "/summary.txt")))
        .isEqualTo("summary one\n");

    String second = SnapshotStore.newSnapshotId(Instant.parse("2026-01-02T00:00:00Z"));
    store.commit(manifest(second), "two\n");
    assertThat(store.latest()).contains(second);
    assertThat(store.completeSnapshots()).containsExactly(first, second);
    try (var files = Files.list(root.resolve("ds"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
          .isEmpty();
    }
  }

  @Test
  void incompleteSnapshotIsRefused(@TempDir Path root) throws Exception {
    SnapshotStore store = new SnapshotStore(root.toString(), "ds", new Configuration());
    Files.createDirectories(root.resolve("ds/snapshots/x/data"));
    assertThatThrownBy(() -> store.readManifest("x"))
        .hasMessageContaining("snapshot x has no manifest.json (it is incomplete)");
  }

  @Test
  void reportRefusesLostRows() {
    assertThatThrownBy(() -> new StageReport("s", 5, 2, Map.of("x", 1L), 0))
        .hasMessage(
            "Cannot report stage s: rows in (5) != kept (2) + rejected (1); rows were lost");
  }

  // ---- issue 14, finding 8: dataset names and LATEST are validated ---------------------------

  @Test
  void datasetNameThatIsNotOneFolderIsRefused(@TempDir Path root) {
    for (String bad : List.of("..", ".", "a/b", "../x", "")) {
      assertThatThrownBy(() -> new SnapshotStore(root.toString(), bad, new Configuration()))
          .as(bad)
          .isInstanceOf(io.gristmill.core.GristmillException.class)
          .hasMessageContaining("Cannot use dataset name '" + bad + "'");
    }
    assertThat(new SnapshotStore(root.toString(), "day-1.v2_x", new Configuration()).datasetDir())
        .hasToString(root + "/day-1.v2_x");
  }

  @Test
  void latestThatNamesNoSnapshotOfThisDatasetIsAClearInputError(@TempDir Path root)
      throws Exception {
    SnapshotStore other = new SnapshotStore(root.toString(), "other", new Configuration());
    other.commit(manifest("x1"), "s\n");
    SnapshotStore store = new SnapshotStore(root.toString(), "ds", new Configuration());
    Files.createDirectories(root.resolve("ds"));
    Path latest = root.resolve("ds/LATEST");

    Files.writeString(latest, "../../other/snapshots/x1\n");
    assertThatThrownBy(store::latest)
        .isInstanceOf(io.gristmill.core.GristmillException.class)
        .hasMessageContaining("its LATEST file holds '../../other/snapshots/x1', which is not a")
        .hasMessageContaining("--list");
    assertThat(((io.gristmill.core.GristmillException) catchThrowable(store::latest)).kind())
        .isEqualTo(io.gristmill.core.GristmillException.Kind.INPUT);

    Files.write(latest, new byte[] {(byte) 0x9c, 0x01, (byte) 0xff, 0x00, 0x41});
    assertThatThrownBy(store::latest).hasMessageContaining("which is not a snapshot id");

    Files.writeString(latest, "x1\n");
    assertThatThrownBy(store::latest)
        .hasMessageContaining("names no complete snapshot of this dataset");
    assertThatThrownBy(() -> store.readManifest("../../other/snapshots/x1"))
        .hasMessageContaining("is not a snapshot id");
  }

  @Test
  void handEditedLatestIsReadDespiteAStaleCrcAndNoCrcIsWritten(@TempDir Path root)
      throws Exception {
    SnapshotStore store = new SnapshotStore(root.toString(), "ds", new Configuration());
    store.commit(manifest("a1"), "one\n");
    store.commit(manifest("b2"), "two\n");
    try (var files = Files.list(root.resolve("ds"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("LATEST", "snapshots");
    }
    // An operator rolls back by hand; a checksum file from an older tool is still there.
    Files.writeString(root.resolve("ds/LATEST"), "a1\n");
    Files.write(root.resolve("ds/.LATEST.crc"), new byte[] {'c', 'r', 'c', 0, 0, 0, 0, 1, 2, 3});
    assertThat(store.latest()).contains("a1");
  }

  // ---- issue 14, "what to build" 3: retention and stale output ------------------------------

  @Test
  void retentionKeepsTheNewestAndNeverTheSnapshotLatestNames(@TempDir Path root) throws Exception {
    SnapshotStore store = new SnapshotStore(root.toString(), "ds", new Configuration());
    for (String id : List.of("s1", "s2", "s3", "s4")) {
      store.commit(manifest(id), id);
    }
    Files.writeString(root.resolve("ds/LATEST"), "s1\n"); // rolled back by hand
    assertThat(store.retain(2)).containsExactly("s2", "s3");
    assertThat(store.completeSnapshots()).containsExactly("s1", "s4");
    assertThat(store.latest()).contains("s1");
    assertThat(store.retain(1)).containsExactly("s4");
    assertThat(store.completeSnapshots()).containsExactly("s1");
  }

  @Test
  void staleOutputOfDeadRunsIsRemovedButCompleteSnapshotsStay(@TempDir Path root) throws Exception {
    SnapshotStore store = new SnapshotStore(root.toString(), "ds", new Configuration());
    store.commit(manifest("s1"), "one");
    Files.createDirectories(root.resolve("ds/snapshots/s2/data/_temporary/0"));
    Files.writeString(root.resolve("ds/snapshots/s2/data/_temporary/0/part-0.parquet"), "x");
    Files.writeString(root.resolve("ds/.LATEST.1234.tmp"), "s2");
    assertThat(store.cleanStale()).hasSize(2);
    assertThat(root.resolve("ds/snapshots/s2")).doesNotExist();
    assertThat(root.resolve("ds/.LATEST.1234.tmp")).doesNotExist();
    assertThat(store.completeSnapshots()).containsExactly("s1");
    assertThat(store.latest()).contains("s1");
  }

  // ---- issue 14, "what to build" 4: publication where rename is not atomic ------------------

  @Test
  void onAStoreWithoutAtomicRenamePublicationIsByPointerWrites(@TempDir Path root)
      throws Exception {
    Configuration conf = new Configuration();
    io.gristmill.core.testing.NoRenameFileSystem.register(conf);
    String uri = io.gristmill.core.testing.NoRenameFileSystem.SCHEME + "://" + root;
    SnapshotStore store = new SnapshotStore(uri, "ds", conf);
    assertThat(store.pointerPublication()).isTrue();
    store.commit(manifest("p1"), "one\n");
    store.commit(manifest("p2"), "two\n");
    assertThat(store.latest()).contains("p2");
    assertThat(store.readManifest("p2")).isEqualTo(manifest("p2"));
    assertThat(Files.readString(root.resolve("ds/LATEST"))).isEqualTo("p2\n");
    try (var files = Files.walk(root)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".tmp") || n.endsWith(".crc"));
    }
    // Forcing rename publication on such a store fails, as it would on S3 with a lost rename.
    SnapshotStore forced = store.withPolicy(new SnapshotPolicy(null, null, "rename"));
    assertThatThrownBy(() -> forced.commit(manifest("p3"), "three\n"))
        .hasMessageContaining("rename is not atomic on this store");
    assertThat(store.latest()).contains("p2");
  }
}
