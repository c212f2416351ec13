package io.gristmill.jobs.curate;

import io.gristmill.core.config.Check;
import io.gristmill.curation.decontam.DecontaminationConfig;
import io.gristmill.curation.dedup.exact.ExactDedupConfig;
import io.gristmill.curation.dedup.near.NearDedupConfig;
import io.gristmill.curation.ingest.IngestConfig;
import io.gristmill.curation.ingest.SourceConfig;
import java.util.List;

/**
 * The config of {@code gristmill curate}: where to read, what to remove, where to write.
 *
 * @param dataset the dataset name; snapshots go to {@code OUTPUT_ROOT/DATASET/snapshots/ID}
 * @param outputRoot where datasets live (default {@code gristmill-output}); {@code --output} wins
 * @param sources the inputs, each with a name, path(s) or glob and format (required, non-empty)
 * @param ingest limits applied while reading
 * @param exactDedup conversation- and prompt-level exact dedup
 * @param nearDedup MinHash/LSH near-duplicate removal; skipped when the section is absent or {@code
 *     enabled: false}
 * @param decontamination n-gram matching against benchmark test sets; skipped when the section is
 *     absent or {@code enabled: false}
 * @param outputFiles how many Parquet files {@code data/} is written as (default 1, 1..10000); rows
 *     are placed by a hash of their id, so the files do not depend on Spark's partitioning
 */
public record CurateConfig(
    String dataset,
    String outputRoot,
    List<SourceConfig> sources,
    IngestConfig ingest,
    ExactDedupConfig exactDedup,
    NearDedupConfig nearDedup,
    DecontaminationConfig decontamination,
    Integer outputFiles) {
  public CurateConfig {
    Check.requiredText("dataset", dataset);
    if (!dataset.matches("[A-Za-z0-9._-]+")) {
      throw io.gristmill.core.Errors.invalidValue(
          "dataset", dataset, "a name of letters, digits, '.', '_' or '-'");
    }
    outputRoot = Check.orDefault(outputRoot, "gristmill-output");
    Check.required("sources", sources);
    if (sources.isEmpty()) {
      throw io.gristmill.core.Errors.invalidValue("sources", "[]", "at least one source");
    }
    sources = List.copyOf(sources);
    ingest = ingest == null ? IngestConfig.defaults() : ingest;
    exactDedup = exactDedup == null ? ExactDedupConfig.defaults() : exactDedup;
    if (decontamination != null
        && decontamination.enabled()
        && decontamination.benchmarks().isEmpty()) {
      throw io.gristmill.core.Errors.invalidValue(
          "decontamination.benchmarks",
          "[]",
          "at least one benchmark when decontamination is enabled");
    }
    outputFiles = Check.intInRange("output_files", outputFiles, 1, 1, 10_000);
  }

  /** This config with other sources (refresh narrows them to new files). */
  public CurateConfig withSources(List<SourceConfig> newSources) {
    return new CurateConfig(
        dataset,
        outputRoot,
        newSources,
        ingest,
        exactDedup,
        nearDedup,
        decontamination,
        outputFiles);
  }

  public boolean runsNearDedup() {
    return nearDedup != null && nearDedup.enabled();
  }

  public boolean runsDecontamination() {
    return decontamination != null && decontamination.enabled();
  }
}
