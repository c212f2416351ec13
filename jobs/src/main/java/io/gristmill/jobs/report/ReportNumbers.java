package io.gristmill.jobs.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Every number a snapshot report shows, typed; {@code report.json} is this record as JSON and
 * {@code report.html} renders it ({@link ReportHtml}). Computed from a snapshot by {@link
 * ReportSpark}; absent annotation columns leave their parts empty, with a line in {@code notes}.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param snapshot which snapshot this describes
 * @param totals rows read, kept and rejected over the whole snapshot
 * @param sources rows per source before (read) and after (kept)
 * @param categories kept rows per task category, with the count before the mix where the manifest
 *     says it ({@link ReportSpark#CATEGORY_BEFORE_PROPERTY})
 * @param stages per-stage counts and seconds from the manifest
 * @param exclusions rejected rows per stage, reason and rule
 * @param histograms distributions of kept rows (turns, tokens or characters, language, quality...)
 * @param dedupClusters per dedup stage: how many clusters had duplicates and their sizes
 * @param contamination per benchmark: rows removed and rows flagged
 * @param config the effective config (the recipe) as the manifest holds it
 * @param properties the job's facts from the manifest (devices, refresh counts, ...)
 * @param resolved what a mixing recipe resolved to on the data (thresholds, quotas, caps, rows per
 *     source and category), from the mix stage's detail line, or null
 * @param details the run's summary lines
 * @param notes what the report could not show and why
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReportNumbers(
    int formatVersion,
    Snapshot snapshot,
    Totals totals,
    List<SourceCount> sources,
    List<CategoryCount> categories,
    List<StageRow> stages,
    List<Exclusion> exclusions,
    List<Histogram> histograms,
    List<ClusterSizes> dedupClusters,
    List<BenchmarkCount> contamination,
    JsonNode config,
    Map<String, Object> properties,
    JsonNode resolved,
    List<String> details,
    List<String> notes) {
  public static final int FORMAT_VERSION = 1;

  public ReportNumbers {
    sources = List.copyOf(sources);
    categories = List.copyOf(categories);
    stages = List.copyOf(stages);
    exclusions = List.copyOf(exclusions);
    histograms = List.copyOf(histograms);
    dedupClusters = List.copyOf(dedupClusters);
    contamination = List.copyOf(contamination);
    // A TreeMap: stable key order, and a job's property may be null.
    properties =
        properties == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(properties));
    details = List.copyOf(details);
    notes = List.copyOf(notes);
    config = config == null || config.isNull() ? null : config;
    resolved = resolved == null || resolved.isNull() ? null : resolved;
  }

  /** The snapshot described. */
  public record Snapshot(
      String dataset,
      String snapshotId,
      String job,
      String kind,
      String createdAt,
      String codeVersion,
      String previousSnapshot) {}

  public record Totals(long rowsRead, long rowsKept, long rowsRejected) {}

  public record SourceCount(String source, long before, long after) {}

  /** {@code before} is null where the snapshot does not record it. */
  public record CategoryCount(String category, Long before, long after) {}

  public record StageRow(String stage, long rowsIn, long kept, long rejected, double seconds) {}

  /**
   * @param rule the named rule within the reason ({@code mix_filter:<name>} gives {@code name}), or
   *     empty
   */
  public record Exclusion(String stage, String reason, String rule, long rows) {}

  /** One bar of a histogram or count chart. */
  public record Bin(String label, long count) {}

  /**
   * A distribution over kept rows.
   *
   * @param name a stable id ({@code turns}, {@code tokens}, {@code language}, ...)
   * @param title what a person reads above the chart
   * @param column the column (or expression) it was computed from
   * @param kind {@code numeric} (ordered bins) or {@code categorical} (most frequent first)
   * @param nulls rows where the value was null
   */
  public record Histogram(
      String name, String title, String column, String kind, List<Bin> bins, long nulls) {
    public Histogram {
      bins = List.copyOf(bins);
    }

    public long total() {
      return bins.stream().mapToLong(Bin::count).sum();
    }
  }

  /**
   * @param clusters clusters with at least one duplicate
   * @param duplicates rows rejected as duplicates
   * @param sizes clusters per size (kept row plus its duplicates)
   */
  public record ClusterSizes(String stage, long clusters, long duplicates, List<Bin> sizes) {
    public ClusterSizes {
      sizes = List.copyOf(sizes);
    }
  }

  /** Rows matching a benchmark: removed (in {@code rejected/}) and flagged (kept, policy flag). */
  public record BenchmarkCount(String benchmark, long removed, long flagged) {}
}
