package io.gristmill.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
