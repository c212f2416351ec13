package io.gristmill.bridge.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.bridge.read.BatchIterator;
import io.gristmill.bridge.read.ReaderOptions;
import io.gristmill.bridge.read.ReaderState;
import io.gristmill.bridge.read.ShardDataset;
import io.gristmill.core.GristmillException;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardWriterSparkStageTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void writesManifestAndShardsThatReadBack() throws Exception {
    Path dir = tmp.resolve("sft");
    ShardManifest m = ShardFixtures.writeSft(spark, dir, 50, 3, 4, 8);

    assertThat(m.kind()).isEqualTo("sft");
    assertThat(m.totals().rows()).isEqualTo(50);
    assertThat(m.shards())
        .extracting(ShardManifest.Shard::path)
        .containsExactly("shard-00000.arrow", "shard-00001.arrow", "shard-00002.arrow");
    assertThat(m.shards().stream().mapToLong(ShardManifest.Shard::rows).sum()).isEqualTo(50);
    // tokens: rows have i % 5 + 1 tokens -> 10 cycles of 15
    assertThat(m.tokens().total()).isEqualTo(150);
    assertThat(m.tokens().minPerRow()).isEqualTo(1);
    assertThat(m.tokens().maxPerRow()).isEqualTo(5);
    assertThat(m.tokens().trainable()).isEqualTo(10 * (0 + 1 + 1 + 2 + 2));
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder(
            "manifest.json", "shard-00000.arrow", "shard-00001.arrow", "shard-00002.arrow");

    Set<String> ids = new HashSet<>();
    try (ShardDataset ds = ShardDataset.open(dir, true);
        BatchIterator it = ds.epoch(ReaderOptions.sequential(16), ReaderState.start(0))) {
      assertThat(ds.schema().getCustomMetadata())
          .containsEntry(ShardSchemas.META_KIND, "sft")
          .containsEntry(ShardSchemas.META_VERSION, "1");
      while (it.hasNext()) {
        VectorSchemaRoot b = it.next();
        VarCharVector id = (VarCharVector) b.getVector("id");
        ListVector inputIds = (ListVector) b.getVector("input_ids");
        IntVector num = (IntVector) b.getVector("num_tokens");
        for (int r = 0; r < b.getRowCount(); r++) {
          String rid = new String(id.get(r), java.nio.charset.StandardCharsets.UTF_8);
          int i = Integer.parseInt(rid.substring(1));
          ids.add(rid);
          assertThat(num.get(r)).isEqualTo(i % 5 + 1);
          assertThat(inputIds.getObject(r)).first().isEqualTo(i * 10);
          assertThat(inputIds.getObject(r)).hasSize(i % 5 + 1);
        }
      }
    }
    assertThat(ids).hasSize(50);
  }

  @Test
  void shardsAreByteIdenticalWhateverTheSparkPartitioning() throws Exception {
    for (String codec : ShardWriteOptions.COMPRESSIONS) {
      Path a = tmp.resolve("a-" + codec);
      Path b = tmp.resolve("b-" + codec);
      ShardManifest ma = ShardFixtures.writeSft(spark, a, 200, 4, 1, 16, codec);
      ShardManifest mb = ShardFixtures.writeSft(spark, b, 200, 4, 7, 16, codec);
      assertThat(ma.compression()).isEqualTo(codec);
      assertThat(ma.shards()).isEqualTo(mb.shards());
      for (ShardManifest.Shard s : ma.shards()) {
        assertThat(Files.readAllBytes(a.resolve(s.path())))
            .as("%s with %s", s.path(), codec)
            .isEqualTo(Files.readAllBytes(b.resolve(s.path())));
      }
    }
  }

  @Test
  void refusesToOverwriteAPublishedDirectory() {
    Path dir = tmp.resolve("once");
    ShardFixtures.writeSft(spark, dir, 10, 1, 1, 8);
    assertThatThrownBy(() -> ShardFixtures.writeSft(spark, dir, 10, 1, 1, 8))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("Cannot write shards to " + dir)
        .hasMessageContaining("already holds a published dataset");
  }

  @Test
  void readerRefusesDirectoryWithoutManifest() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("half"));
    assertThatThrownBy(() -> ShardDataset.open(dir, false))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot open shard directory "
                + dir
                + ": it has no manifest.json, so it is incomplete or not a shard directory. Point"
                + " at a directory written by 'gristmill export --format shards-sft|shards-rl',"
                + " and wait for the export to finish.");
  }

  @Test
  void checksumVerificationCatchesAChangedShard() throws Exception {
    Path dir = tmp.resolve("tampered");
    ShardFixtures.writeSft(spark, dir, 30, 2, 2, 8);
    Path shard = dir.resolve("shard-00001.arrow");
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(shard, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    ShardDataset.open(dir, false).close(); // same size: only the checksum can tell
    assertThatThrownBy(() -> ShardDataset.open(dir, true))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("Cannot use shard " + shard)
        .hasMessageContaining("sha256 is ");
  }
}
