package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.snapshot.SnapshotManifest.InputFile;
import io.gristmill.core.stage.SummaryTable;
import io.gristmill.core.testing.SharedData;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.curation.dedup.exact.ExactDedupConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Ingests every conversation and instruction file of {@code ../shared/data/sft_chat} and the GSM8K,
 * MATH and MATH-500 prompt sets, as {@code conf/ingest-shared-data.yaml} declares them, and checks
 * per file: rows read = kept + rejected = the row count of the MANIFEST's appendix (copied into
 * {@code ingest/shared-data-rows.tsv}). Prints the per-corpus counts. Skips without the data.
 */
class SharedDataIngestTest extends SparkTestBase {
  /** The curate config's four keys that ingest and exact dedup use (dedup is not run here). */
  record CurateFile(
      String dataset,
      List<SourceConfig> sources,
      IngestConfig ingest,
      ExactDedupConfig exactDedup) {}

  @Test
  void ingestsEverySharedCorpusWithManifestRowCounts() throws IOException {
    Path data = SharedData.require("sft_chat");
    Path shared = data.getParent();
    Path repo = SharedData.repoDir();
    CurateFile cfg =
        ConfigLoader.load(
            repo.resolve("conf/ingest-shared-data.yaml"), CurateFile.class, List.of());
    List<SourceConfig> sources = new ArrayList<>();
    for (SourceConfig s : cfg.sources()) {
      sources.add(
          new SourceConfig(
              s.name(),
              s.path().stream().map(p -> repo.resolve(p).normalize().toString()).toList(),
              s.format(),
              s.fields(),
              s.fileFormat(),
              s.promptOnly(),
              s.promptsFrom() == null
                  ? null
                  : new PromptLookupConfig(
                      repo.resolve(s.promptsFrom().path()).normalize().toString(),
                      s.promptsFrom().key(),
                      s.promptsFrom().turns())));
    }

    IngestResult r = IngestSparkStage.run(spark, sources, cfg.ingest());

    Map<String, Long> expected = expectedRows();
    Map<String, Long> actual = new TreeMap<>();
    for (InputFile f : r.inputs()) {
      String rel = shared.relativize(Path.of(URI.create(f.path()))).toString();
      assertThat(f.rowsRead()).as(rel).isEqualTo(f.rowsKept() + f.rowsRejected());
      actual.put(rel, f.rowsRead());
    }
    assertThat(actual.keySet()).as("files ingested").isEqualTo(expected.keySet());
    Map<String, String> wrong = new TreeMap<>();
    expected.forEach(
        (f, n) -> {
          if (!n.equals(actual.get(f))) {
            wrong.put(f, "read " + actual.get(f) + ", MANIFEST says " + n);
          }
        });
    assertThat(wrong).as("files whose row count differs from the MANIFEST").isEmpty();

    Map<String, long[]> perSource = new TreeMap<>();
    for (InputFile f : r.inputs()) {
      long[] c = perSource.computeIfAbsent(f.source(), k -> new long[4]);
      c[0]++;
      c[1] += f.rowsRead();
      c[2] += f.rowsKept();
      c[3] += f.rowsRejected();
    }
    Map<String, Map<String, Long>> reasons = new TreeMap<>();
    for (Row row : r.rejected().groupBy("source", "reason").count().collectAsList()) {
      reasons
          .computeIfAbsent(row.getString(0), k -> new TreeMap<>())
          .put(row.getString(1), row.getLong(2));
    }
    StringBuilder sb = new StringBuilder("\nIngest of ../shared/data per corpus:\n");
    sb.append(
        String.format(
            "%-26s %5s %7s %7s %8s  %s%n",
            "source", "files", "read", "kept", "rejected", "by reason"));
    perSource.forEach(
        (s, c) ->
            sb.append(
                String.format(
                    "%-26s %5d %7d %7d %8d  %s%n",
                    s, c[0], c[1], c[2], c[3], reasons.getOrDefault(s, Map.of()))));
    sb.append(SummaryTable.render(List.of(r.report())));
    System.out.println(sb);

    assertThat(r.report().rowsIn()).isEqualTo(104_973L);
    assertThat(r.kept().count()).isEqualTo(r.report().kept());
  }

  private static Map<String, Long> expectedRows() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of(Fixtures.path("shared-data-rows.tsv")))) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String[] parts = line.split("\t");
        out.put(parts[0], Long.parseLong(parts[1]));
      }
    }
    return out;
  }
}
