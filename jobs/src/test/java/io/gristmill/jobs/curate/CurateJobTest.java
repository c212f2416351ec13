package io.gristmill.jobs.curate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.stage.StageReport;
import io.gristmill.core.testing.SharedData;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo config end to end on a real local Spark: snapshot layout, counts, determinism. */
class CurateJobTest extends SparkTestBase {
  private static CurateConfig demo(Path out) {
    Path repo = SharedData.repoDir();
    return ConfigLoader.load(
        repo.resolve("conf/demo.yaml"),
        CurateConfig.class,
        List.of(
            "output_root=" + out,
            "sources[0].path=" + repo.resolve("conf/demo/corpus/openai_messages.jsonl"),
            "sources[1].path=" + repo.resolve("conf/demo/corpus/sharegpt.json"),
            "sources[2].path=" + repo.resolve("conf/demo/corpus/alpaca.jsonl.gz"),
            "sources[3].path=" + repo.resolve("conf/demo/corpus/hh.jsonl"),
            "sources[4].path=" + repo.resolve("conf/demo/corpus/gsm8k_style.jsonl"),
            "decontamination.benchmarks[0].path="
                + repo.resolve("conf/demo/benchmarks/demo_bench.jsonl")));
  }

  private static CurateJob.Result run(CurateConfig cfg, int shufflePartitions) {
    spark.conf().set("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions));
    JsonNode tree = ConfigLoader.yamlMapper().valueToTree(cfg);
    return CurateJob.run(spark, cfg, tree);
  }

  /**
   * Two runs of the demo with 1 and 4 shuffle partitions: byte-identical data files, and the second
   * run's snapshot is complete and loses nothing.
   */
  @Test
  void demoSnapshotIsCompleteLosesNothingAndIsByteIdentical(@TempDir Path a, @TempDir Path out)
      throws Exception {
    Path one = Path.of(run(demo(a), 1).snapshotDir()).resolve("data");
    CurateConfig cfg = demo(out);
    CurateJob.Result r = run(cfg, 4);
    Path four = Path.of(r.snapshotDir()).resolve("data");
    assertThat(parquetFiles(one)).isEqualTo(parquetFiles(four)).isNotEmpty();
    for (String name : parquetFiles(one)) {
      assertThat(Files.readAllBytes(one.resolve(name)))
          .as(name)
          .isEqualTo(Files.readAllBytes(four.resolve(name)));
    }

    SnapshotStore store = new SnapshotStore(out.toString(), "demo", new Configuration());
    String id = store.latest().orElseThrow();
    assertThat(r.snapshotDir()).endsWith(id);
    Path snap = out.resolve("demo/snapshots").resolve(id);
    assertThat(snap.resolve("manifest.json")).exists();
    assertThat(snap.resolve("summary.txt")).exists();
    assertThat(snap.resolve("data/part-00000.parquet")).exists();
    assertThat(snap.resolve("rejected/part-00000.parquet")).exists();

    long data = spark.read().parquet(snap.resolve("data").toString()).count();
    List<Row> rejected = spark.read().parquet(snap.resolve("rejected").toString()).collectAsList();
    long read = r.manifest().inputs().stream().mapToLong(f -> f.rowsRead()).sum();
    assertThat(data + rejected.size()).isEqualTo(read);
    assertThat(r.manifest().outputs()).containsEntry("data", data);
    r.manifest()
        .inputs()
        .forEach(f -> assertThat(f.rowsRead()).isEqualTo(f.rowsKept() + f.rowsRejected()));

    Map<String, Long> reasons = new TreeMap<>();
    for (StageReport s : r.manifest().stages()) {
      s.rejected().forEach((k, v) -> reasons.merge(k, v, Long::sum));
    }
    // The demo corpus plants these on purpose (see conf/demo/corpus).
    assertThat(reasons)
        .containsKeys(
            "malformed_json",
            "invalid_utf8",
            "unknown_role",
            "empty_messages",
            "broken_role_order",
            "non_string_content",
            "exact_duplicate",
            "prompt_duplicate",
            "near_duplicate",
            "contaminated");
    assertThat(reasons.get("near_duplicate")).isEqualTo(1L);
    assertThat(reasons.get("contaminated")).isEqualTo(1L);
    Row contaminated =
        rejected.stream().filter(x -> "contaminated".equals(x.getAs("reason"))).findFirst().get();
    assertThat((String) contaminated.getAs("duplicate_of")).isEqualTo("demo_bench:demo-1");
    Row near =
        rejected.stream().filter(x -> "near_duplicate".equals(x.getAs("reason"))).findFirst().get();
    assertThat((String) near.getAs("original_id")).isEqualTo("s6-near-dup-of-c14");
    assertThat((Double) near.getAs("similarity")).isBetween(0.8, 1.0);
    assertThat(snap.resolve(CurateJob.NEAR_DEDUP_STATE)).isDirectory();
    // Issue 10: per-file accounting after ALL stages sums to the snapshot's totals.
    io.gristmill.jobs.testing.ManifestSchema.assertAccounted(snap);
    assertThat(r.manifest().kind()).isEqualTo("conversation");
    long keptOverFiles = r.manifest().inputs().stream().mapToLong(f -> f.rowsKept()).sum();
    assertThat(keptOverFiles).isEqualTo(data);
    // Issue 10: a dedup rejection carries its own id and lineage, not the kept row's.
    // Ids hash source + content, so a same-source duplicate shares the kept row's id; its source,
    // file and line are still its own.
    List<Row> kept = spark.read().parquet(snap.resolve("data").toString()).collectAsList();
    Map<String, Row> keptById = new TreeMap<>();
    kept.forEach(k -> keptById.put(k.getAs("id"), k));
    // (a row kept by exact dedup may have been dropped by a later stage)
    rejected.stream()
        .filter(x -> !"exact_duplicate".equals(x.getAs("reason")) && x.getAs("id") != null)
        .forEach(x -> keptById.putIfAbsent(x.getAs("id"), x));
    List<Row> dups =
        rejected.stream().filter(x -> "exact_duplicate".equals(x.getAs("reason"))).toList();
    assertThat(dups).isNotEmpty();
    for (Row dup : dups) {
      Row original = keptById.get(dup.<String>getAs("duplicate_of"));
      assertThat(original).as("kept row of %s", dup).isNotNull();
      assertThat((String) dup.getAs("file")).isNotNull();
      assertThat((Long) dup.getAs("line")).isPositive();
      assertThat(dup.<String>getAs("file") + ":" + dup.<Long>getAs("line"))
          .isNotEqualTo(original.<String>getAs("file") + ":" + original.<Long>getAs("line"));
      if (!dup.<String>getAs("source").equals(original.<String>getAs("source"))) {
        assertThat(dup.<String>getAs("id")).isNotEqualTo(original.<String>getAs("id"));
      }
    }
    assertThat((String) near.getAs("file")).endsWith("sharegpt.json");
    assertThat(kept).allSatisfy(k -> assertThat((String) k.getAs("file")).isNotNull());
    assertThat(r.summary())
        .contains("ingest")
        .contains("exact_dedup")
        .contains("rows read = kept + rejected (after all stages")
        .contains("bands x")
        .contains("demo_bench=1");
  }

  private static List<String> parquetFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .sorted()
          .toList();
    }
  }
}
