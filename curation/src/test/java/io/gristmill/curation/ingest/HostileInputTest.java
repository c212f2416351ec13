package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.snapshot.SnapshotManifest.InputFile;
import io.gristmill.core.testing.SparkTestBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input fixture ({@code ingest/hostile}, issue 14): for every file, rows read = kept +
 * rejected, each rejection has the expected reason, and every kept row holds exactly the text of
 * its source record (nothing lost, corrupted or silently changed).
 */
class HostileInputTest extends SparkTestBase {
  @TempDir Path tmp;

  /** What one fixture file must give: ids kept (in order) and rejections by reason. */
  private record Expect(List<String> kept, Map<String, Long> rejected) {
    long read() {
      return kept.size() + rejected.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static Expect expect(List<String> kept, Object... reasonCounts) {
    Map<String, Long> r = new TreeMap<>();
    for (int i = 0; i < reasonCounts.length; i += 2) {
      r.put((String) reasonCounts[i], ((Number) reasonCounts[i + 1]).longValue());
    }
    return new Expect(kept, r);
  }

  private static List<String> ids(String prefix, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  /**
   * Findings 1, 3, 4 and 9 of issue 14, one fixture file each; the expected text of each kept
   * record is checked too (question/answer ids, or the exact strings below).
   */
  @Test
  void everyFileReadIsKeptOrRejectedWithNoneLostOrChanged() {
    Map<String, Expect> expected = new LinkedHashMap<>();
    // 1: a truncated array keeps what came before and rejects what cannot be read.
    expected.put("truncated_element.json", expect(List.of("a1", "a2"), "malformed_json", 1));
    expected.put("unclosed_array.json", expect(List.of("b1", "b2"), "malformed_json", 1));
    expected.put("truncated_array.json.gz", expect(ids("c", 1, 21), "unreadable_file", 1));
    // 3: no row vanishes: a second array is read, trailing garbage is rejected, one bad element
    // costs only itself.
    expected.put("two_arrays.json", expect(List.of("d1", "d2", "d3")));
    expected.put("trailing_garbage.json", expect(List.of("e1", "e2"), "malformed_json", 1));
    expected.put("deep_element.json", expect(List.of("f1", "f3"), "oversized_record", 1));
    expected.put("bad_token_element.json", expect(List.of("g1", "g3"), "malformed_json", 1));
    // 4: a gzip failing its CRC check rejects its rows (and the unreadable rest).
    expected.put("crc_mismatch.jsonl.gz", expect(List.of(), "unreadable_file", 3));
    // 9: a lone surrogate is rejected, never turned into '?'; invisible content is empty;
    // 'developer' is the system role.
    expected.put("lone_surrogate.jsonl", expect(List.of("s2", "s3"), "invalid_utf8", 1));
    expected.put("invisible_content.jsonl", expect(List.of("n3"), "empty_content", 2));
    expected.put("developer_role.jsonl", expect(List.of("r1")));

    List<SourceConfig> sources = new ArrayList<>();
    for (String f : expected.keySet()) {
      sources.add(
          SourceConfig.of(
              f.replaceAll("[^a-z_]", "_"), Fixtures.path("hostile/" + f), Format.MESSAGES));
    }
    IngestResult r = IngestSparkStage.run(spark, sources, IngestConfig.defaults());

    Map<String, InputFile> byFile = new TreeMap<>();
    for (InputFile f : r.inputs()) {
      byFile.put(Path.of(java.net.URI.create(f.path())).getFileName().toString(), f);
    }
    assertThat(byFile.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    List<Row> kept = r.kept().collectAsList();
    List<Row> rejected = r.rejected().collectAsList();
    for (Map.Entry<String, Expect> e : expected.entrySet()) {
      String name = e.getKey();
      Expect want = e.getValue();
      InputFile got = byFile.get(name);
      assertThat(got.rowsRead()).as(name + " read").isEqualTo(want.read());
      assertThat(got.rowsKept()).as(name + " kept").isEqualTo(want.kept().size());
      assertThat(got.rowsRejected())
          .as(name + " rejected")
          .isEqualTo(want.read() - want.kept().size());
      List<String> keptIds =
          kept.stream()
              .filter(x -> x.<String>getAs("file").endsWith("/" + name))
              .map(x -> x.<String>getAs("original_id"))
              .toList();
      assertThat(keptIds).as(name + " kept ids").containsExactlyElementsOf(want.kept());
      Map<String, Long> reasons = new TreeMap<>();
      for (Row x : rejected) {
        if (x.<String>getAs("file").endsWith("/" + name)) {
          reasons.merge(x.getAs("reason"), 1L, Long::sum);
          assertThat(x.<String>getAs("detail")).as(name + " detail").isNotBlank();
        }
      }
      assertThat(reasons).as(name + " rejections").isEqualTo(want.rejected());
    }
    Map<String, List<String>> texts = new TreeMap<>();
    for (Row x : kept) {
      List<String> contents = new ArrayList<>();
      for (Row m : x.<Row>getList(x.fieldIndex("messages"))) {
        contents.add(m.<String>getAs("role") + ":" + m.<String>getAs("content"));
      }
      texts.put(x.getAs("original_id"), contents);
    }
    for (String id : List.of("a1", "b2", "c21", "d3", "e2", "f3", "g3")) {
      assertThat(texts.get(id)).containsExactly("user:question " + id, "assistant:answer " + id);
    }
    assertThat(texts.get("s2")).containsExactly("user:x?y", "assistant:z");
    assertThat(texts.get("s3")).containsExactly("user:pair \uD83D\uDE00 ok", "assistant:z");
    assertThat(texts.get("n3")).containsExactly("user:caf\u00e9\u00a0ok", "assistant:x");
    assertThat(texts.get("r1")).containsExactly("system:Be brief.", "user:Hi", "assistant:Hello");
  }

  /** Finding 3: a 25 MB element is rejected alone; the elements after it are still read. */
  @Test
  void aHugeElementCostsOnlyItself() throws IOException {
    Path f = tmp.resolve("huge.json");
    String ok1 = okRow("big1");
    String ok3 = okRow("big3");
    try (var w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
      w.write("[" + ok1 + ",\n{\"id\": \"big2\", \"x\": \"");
      char[] chunk = new char[1 << 20];
      java.util.Arrays.fill(chunk, 'x');
      for (int i = 0; i < 25; i++) {
        w.write(chunk);
      }
      w.write("\"},\n" + ok3 + "]\n");
    }
    IngestResult r =
        IngestSparkStage.run(
            spark,
            List.of(SourceConfig.of("huge", f.toString(), Format.MESSAGES)),
            IngestConfig.defaults());
    assertThat(r.inputs().get(0).rowsRead()).isEqualTo(3);
    assertThat(r.kept().collectAsList())
        .extracting(x -> x.<String>getAs("original_id"))
        .containsExactly("big1", "big3");
    assertThat(r.report().rejected()).isEqualTo(Map.of("oversized_record", 1L));
  }

  /**
   * Finding 8: a ':' in a file name is read like any other; a symlink loop (two of them) lists each
   * file once without hanging; a FIFO is rejected with a reason instead of blocking the read.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void oddPathsAreListedOnceAndNeverHang() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(dir.resolve("2026-01-02T03:04:05.jsonl"), okRow("colon") + "\n");
    Path sub = Files.createDirectories(dir.resolve("sub"));
    Files.writeString(sub.resolve("plain.jsonl"), okRow("plain") + "\n");
    Files.createSymbolicLink(sub.resolve("loop1"), sub);
    Files.createSymbolicLink(sub.resolve("loop2"), dir);
    Path fifo = dir.resolve("pipe.jsonl");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(p.waitFor()).isZero();

    IngestResult r =
        IngestSparkStage.run(
            spark,
            List.of(SourceConfig.of("odd", dir.toString(), Format.MESSAGES)),
            IngestConfig.defaults());
    assertThat(r.kept().collectAsList())
        .extracting(x -> x.<String>getAs("original_id"))
        .containsExactlyInAnyOrder("colon", "plain");
    assertThat(r.inputs()).hasSize(3);
    Row pipe = r.rejected().first();
    assertThat(pipe.<String>getAs("reason")).isEqualTo("unreadable_file");
    assertThat(pipe.<String>getAs("file")).endsWith("pipe.jsonl");
    assertThat(pipe.<String>getAs("detail")).contains("not a regular file");
    for (InputFile f : r.inputs()) {
      assertThat(f.rowsRead()).isEqualTo(f.rowsKept() + f.rowsRejected()).isEqualTo(1);
    }
  }

  /**
   * Finding 8, the glob case: a source path glob ({@code in/*.jsonl}) matching a file with a ':' in
   * its name was exit 1 (URISyntaxException from Hadoop's globStatus) for the whole run; now every
   * match is read, in nested and brace globs too, and a glob matching nothing is still an error.
   */
  @Test
  void globsMatchFilesWithAColonInTheirName() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("globbed"));
    Files.writeString(dir.resolve("2026-01-02T03:04:05.jsonl"), okRow("colon") + "\n");
    Files.writeString(dir.resolve("plain.jsonl"), okRow("plain") + "\n");
    Files.writeString(dir.resolve("skip.txt"), okRow("txt") + "\n");
    Path day = Files.createDirectories(dir.resolve("day:2"));
    Files.writeString(day.resolve("x:y.jsonl"), okRow("nested") + "\n");
    IngestResult r =
        IngestSparkStage.run(
            spark,
            List.of(
                SourceConfig.of("g1", dir + "/*.jsonl", Format.MESSAGES),
                SourceConfig.of("g2", dir + "/../globbed/*/*.{jsonl,json}", Format.MESSAGES)),
            IngestConfig.defaults());
    assertThat(r.kept().collectAsList())
        .extracting(x -> x.<String>getAs("source") + ":" + x.<String>getAs("original_id"))
        .containsExactlyInAnyOrder("g1:colon", "g1:plain", "g2:nested");
    assertThat(r.inputs()).hasSize(3);
    // paths are qualified and normalized as before (no "..", the ':' kept)
    assertThat(r.inputs())
        .extracting(InputFile::path)
        .contains("file:" + day.resolve("x:y.jsonl"))
        .noneMatch(f -> f.contains(".."));
    assertThatThrownBy(
            () ->
                IngestSparkStage.run(
                    spark,
                    List.of(SourceConfig.of("none", dir + "/*.parquet", Format.MESSAGES)),
                    IngestConfig.defaults()))
        .hasMessageContaining("no file matches");
  }

  /** Finding 9: max_record_bytes applies to Parquet rows as it does to JSON records. */
  @Test
  void maxRecordBytesAppliesToParquetRows() {
    String dir = tmp.resolve("rows.parquet").toString();
    spark
        .sql(
            "SELECT concat('p', CAST(id AS STRING)) AS id, array(named_struct('role', 'user',"
                + " 'content', repeat('q', CAST(id * 600 AS INT) + 1)), named_struct('role',"
                + " 'assistant', 'content', 'a')) AS messages FROM range(3)")
        .coalesce(1)
        .write()
        .parquet(dir);
    IngestResult r =
        IngestSparkStage.run(
            spark, List.of(SourceConfig.of("pq", dir, Format.MESSAGES)), new IngestConfig(1024L));
    assertThat(r.kept().collectAsList())
        .extracting(x -> x.<String>getAs("original_id"))
        .containsExactly("p0", "p1");
    Row big = r.rejected().first();
    assertThat(big.<String>getAs("reason")).isEqualTo("oversized_record");
    assertThat(big.<Long>getAs("line")).isEqualTo(3L);
  }

  private static String okRow(String id) {
    return "{\"id\": \""
        + id
        + "\", \"messages\": [{\"role\": \"user\", \"content\": \"question "
        + id
        + "\"}, {\"role\": \"assistant\", \"content\": \"answer "
        + id
        + "\"}]}";
  }
}
