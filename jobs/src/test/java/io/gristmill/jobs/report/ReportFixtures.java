package io.gristmill.jobs.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.core.snapshot.Json;
import java.util.List;
import java.util.Map;

/** Hand-made report numbers: one with every part, one of a snapshot without annotations. */
public final class ReportFixtures {
  /** A source name that would break the page if it were not escaped. */
  public static final String TRICKY_SOURCE = "web</script><b>bold</b>";

  private ReportFixtures() {}

  static ReportNumbers.Snapshot snapshot() {
    return new ReportNumbers.Snapshot(
        "mix",
        "20261202T040000Z-abcd",
        "curate",
        "conversation",
        "2026-12-02T04:00:00Z",
        "0.1.0",
        null);
  }

  private static List<ReportNumbers.Bin> bins(Object... labelCount) {
    List<ReportNumbers.Bin> out = new java.util.ArrayList<>();
    for (int i = 0; i < labelCount.length; i += 2) {
      out.add(
          new ReportNumbers.Bin((String) labelCount[i], ((Number) labelCount[i + 1]).longValue()));
    }
    return out;
  }

  /** Every part filled: sources, categories, exclusions, histograms, clusters, contamination. */
  public static ReportNumbers full() {
    ObjectNode config = Json.mapper().createObjectNode();
    config.put("dataset", "mix");
    config.putObject("mix").put("target_rows", 1000).put("seed", 7);
    return new ReportNumbers(
        ReportNumbers.FORMAT_VERSION,
        snapshot(),
        new ReportNumbers.Totals(1500, 1000, 500),
        List.of(
            new ReportNumbers.SourceCount("chat", 900, 600),
            new ReportNumbers.SourceCount(TRICKY_SOURCE, 600, 400)),
        List.of(
            new ReportNumbers.CategoryCount("Information seeking", 500L, 350),
            new ReportNumbers.CategoryCount("Coding & Debugging", 300L, 250),
            new ReportNumbers.CategoryCount("Math", 200L, 150)),
        List.of(
            new ReportNumbers.StageRow("ingest", 1500, 1450, 50, 1.5),
            new ReportNumbers.StageRow("mix", 1450, 1000, 450, 0.7)),
        List.of(
            new ReportNumbers.Exclusion("ingest", "malformed_json", "", 50),
            new ReportNumbers.Exclusion("mix", "mix_filter:quality", "quality", 300),
            new ReportNumbers.Exclusion("mix", "mix_cap:category", "category", 150)),
        List.of(
            new ReportNumbers.Histogram(
                "turns",
                "Turns per conversation",
                "turns_total",
                "numeric",
                bins("2", 700, "3", 0, "4", 300),
                0),
            new ReportNumbers.Histogram(
                "language", "Language", "language", "categorical", bins("en", 900, "de", 100), 0),
            new ReportNumbers.Histogram(
                "input_quality",
                "Input quality",
                "input_quality",
                "categorical",
                bins("good", 400, "excellent", 600),
                0)),
        List.of(
            new ReportNumbers.ClusterSizes("exact_dedup", 40, 60, bins("2", 30, "3", 5, "4", 5))),
        List.of(
            new ReportNumbers.BenchmarkCount("gsm8k", 12, 0),
            new ReportNumbers.BenchmarkCount("mmlu", 3, 1)),
        config,
        Map.of("sources", 2),
        resolved(),
        List.of("near_dedup: 5 bands of 4 rows"),
        List.of());
  }

  static com.fasterxml.jackson.databind.JsonNode resolved() {
    ObjectNode r = Json.mapper().createObjectNode();
    r.putObject("thresholds").put("Q1e", 0.25).put("Q2e", 0.5);
    r.putObject("keptByCategory").put("Math", 150);
    return r;
  }

  /** The charts {@link #full()} draws. */
  public static final int FULL_CHARTS = 8;

  /** A plain curate snapshot: no annotation columns, nothing rejected, no config. */
  public static ReportNumbers plain() {
    return new ReportNumbers(
        ReportNumbers.FORMAT_VERSION,
        snapshot(),
        new ReportNumbers.Totals(10, 10, 0),
        List.of(new ReportNumbers.SourceCount("chat", 10, 10)),
        List.of(),
        List.of(),
        List.of(),
        List.of(
            new ReportNumbers.Histogram(
                "turns", "Turns per conversation", "size(messages)", "numeric", bins("2", 10), 0)),
        List.of(),
        List.of(),
        null,
        Map.of(),
        null,
        List.of(),
        List.of("Annotation columns absent from this snapshot: language."));
  }
}
