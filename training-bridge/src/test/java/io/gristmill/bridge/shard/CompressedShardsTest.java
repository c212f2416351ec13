package io.gristmill.bridge.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.bridge.ShardInspector;
import io.gristmill.bridge.read.BatchIterator;
import io.gristmill.bridge.read.ReaderOptions;
import io.gristmill.bridge.read.ReaderState;
import io.gristmill.bridge.read.ShardDataset;
import io.gristmill.core.snapshot.Json;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LZ4-frame and ZSTD compressed shards: written, recorded, and read back with equal values. */
class CompressedShardsTest extends SparkTestBase {
  private static final int ROWS = 2000;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"lz4", "zstd"})
  void compressedShardsReadBackToTheSameRows(String codec) throws Exception {
    Path plain = tmp.resolve("none");
    Path packed = tmp.resolve(codec);
    ShardManifest mp = ShardFixtures.writeSft(spark, plain, ROWS, 3, 2, 500, "none");
    ShardManifest mc = ShardFixtures.writeSft(spark, packed, ROWS, 3, 2, 500, codec);

    assertThat(mc.compression()).isEqualTo(codec);
    assertThat(
            Json.mapper()
                .readTree(packed.resolve(ShardManifest.FILE).toFile())
                .get("compression")
                .asText())
        .isEqualTo(codec);
    assertThat(mc.totals().rows()).isEqualTo(ROWS);
    assertThat(mc.shards())
        .extracting(ShardManifest.Shard::rows)
        .isEqualTo(mp.shards().stream().map(ShardManifest.Shard::rows).toList());
    assertThat(mc.totals().bytes()).isLessThan(mp.totals().bytes());

    TreeMap<String, List<Integer>> expected = rows(plain, "none");
    TreeMap<String, List<Integer>> actual = rows(packed, codec);
    assertThat(actual).hasSize(ROWS).isEqualTo(expected);
    assertThat(actual.get("r01234")).containsExactly(12340, 12341, 12342, 12343, 12344);

    assertThat(ShardInspector.inspect(packed, true))
        .contains("compression " + codec)
        .contains("checksums: all 3 verified, every batch decoded");
  }

  @Test
  void compressedBuffersNeedTheCodecFactory() throws Exception {
    Path dir = tmp.resolve("zstd-only");
    ShardFixtures.writeSft(spark, dir, 100, 1, 1, 50, "zstd");
    try (BufferAllocator a = new RootAllocator();
        FileChannel ch =
            FileChannel.open(dir.resolve(ShardFile.fileName(0)), StandardOpenOption.READ);
        ArrowFileReader r = new ArrowFileReader(ch, a)) {
      assertThat(r.getVectorSchemaRoot().getSchema().getCustomMetadata())
          .containsEntry(ShardSchemas.META_COMPRESSION, "zstd");
    }
    // the batches really carry ZSTD buffers: a reader that only knows "no compression" (what
    // Arrow JS amounts to) refuses them
    assertThatThrownBy(
            () -> {
              try (BufferAllocator a = new RootAllocator();
                  FileChannel ch =
                      FileChannel.open(
                          dir.resolve(ShardFile.fileName(0)), StandardOpenOption.READ);
                  ArrowFileReader r =
                      new ArrowFileReader(ch, a, NoCompressionCodec.Factory.INSTANCE)) {
                r.loadNextBatch();
              }
            })
        .hasMessageContaining("ZSTD");
  }

  /** Every row's id and input ids, read with the Java reader; its close fails on leaked memory. */
  private static TreeMap<String, List<Integer>> rows(Path dir, String codec) {
    TreeMap<String, List<Integer>> out = new TreeMap<>();
    try (ShardDataset ds = ShardDataset.open(dir, true);
        BatchIterator it = ds.epoch(ReaderOptions.sequential(128), ReaderState.start(0))) {
      assertThat(ds.schema().getCustomMetadata())
          .containsEntry(ShardSchemas.META_COMPRESSION, codec)
          .containsEntry(ShardSchemas.META_KIND, "sft");
      while (it.hasNext()) {
        VectorSchemaRoot b = it.next();
        VarCharVector id = (VarCharVector) b.getVector("id");
        ListVector inputIds = (ListVector) b.getVector("input_ids");
        IntVector num = (IntVector) b.getVector("num_tokens");
        for (int r = 0; r < b.getRowCount(); r++) {
          List<Integer> ids = new ArrayList<>();
          for (Object o : inputIds.getObject(r)) {
            ids.add((Integer) o);
          }
          assertThat(num.get(r)).isEqualTo(ids.size());
          out.put(new String(id.get(r), StandardCharsets.UTF_8), ids);
        }
      }
    }
    return out;
  }
}
