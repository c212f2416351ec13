package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The near-dedup state a snapshot carries is written like the snapshot's data: the same rows give
 * the same file names and bytes whatever the partitioning. Regression: two runs of the TuluTalk
 * recipe gave identical {@code data/} and {@code rejected/} files but {@code
 * near_dedup_state/signatures} files with random names (and a globally sorted layout whose file
 * count followed Spark's sampling).
 */
class NearDedupStateWriteTest extends SparkTestBase {
  private static Map<String, String> files(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      // (_SUCCESS and .crc files are switched off by the snapshot writer's session settings)
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        m.put(
            p.getFileName().toString(),
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return m;
  }

  @Test
  void sameRowsGiveTheSameFilesWhateverThePartitioning(@TempDir Path tmp) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      byte[] sig = new byte[32];
      for (int k = 0; k < sig.length; k++) {
        sig[k] = (byte) (i * 31 + k);
      }
      rows.add(RowFactory.create("id" + i, i % 7 == 0 ? "orig" + i : null, sig, null));
    }
    Dataset<Row> state = spark.createDataFrame(rows, NearDedupStateSparkStage.STATE);
    NearDedupConfig cfg = NearDedupConfig.defaults();
    NearDedupStateSparkStage.write(state.repartition(1), cfg, tmp.resolve("a").toString());
    NearDedupStateSparkStage.write(
        state.repartition(7).sortWithinPartitions("sig"), cfg, tmp.resolve("b").toString());
    Map<String, String> a = files(tmp.resolve("a/signatures"));
    assertThat(a.keySet())
        .containsExactly(
            "part-00000.parquet", "part-00001.parquet", "part-00002.parquet", "part-00003.parquet");
    assertThat(files(tmp.resolve("b/signatures"))).isEqualTo(a);
    assertThat(NearDedupStateSparkStage.load(spark, tmp.resolve("b").toString(), cfg).count())
        .isEqualTo(500);
  }
}
