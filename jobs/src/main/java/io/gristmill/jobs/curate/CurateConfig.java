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
 * @param annotate heuristic, classifier and imported annotation columns; skipped when the section
 *     is absent or {@code enabled: false} (a {@code mix} section turns it on with defaults)
 * @param mix a mixing recipe applied after annotation; skipped when absent or {@code enabled:
 *     false}
 * @param snapshots retention ({@code keep_last}), the lock's stale age and the publication mode
 * @param judge a judge model asked Magpie-like questions (input quality, difficulty, task category,
 *     safety, judge score) after annotation; skipped when absent or {@code enabled: false} (turns
 *     annotation on with defaults)
 * @param rewardModel a reward model scoring every conversation into {@code reward} after annotation
 *     (and the judge); skipped when absent or {@code enabled: false} (turns annotation on with
 *     defaults)
 */
public record CurateConfig(
    String dataset,
    String outputRoot,
    List<SourceConfig> sources,
    IngestConfig ingest,
    ExactDedupConfig exactDedup,
    NearDedupConfig nearDedup,
    DecontaminationConfig decontamination,
    Integer outputFiles,
    io.gristmill.core.snapshot.SnapshotPolicy snapshots,
    io.gristmill.curation.annotate.AnnotateConfig annotate,
    io.gristmill.curation.mix.MixConfig mix,
    io.gristmill.curation.annotate.judge.JudgeConfig judge,
    io.gristmill.curation.annotate.reward.RewardConfig rewardModel) {
  public CurateConfig {
    Check.requiredText("dataset", dataset);
    if (!io.gristmill.core.snapshot.SnapshotStore.isValidName(dataset)) {
      throw io.gristmill.core.Errors.invalidValue(
          "dataset",
          dataset,
          "one folder name of letters, digits, '.', '_' or '-', starting with a letter or digit");
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
    snapshots =
        snapshots == null ? io.gristmill.core.snapshot.SnapshotPolicy.defaults() : snapshots;
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
        outputFiles,
        snapshots,
        annotate,
        mix,
        judge,
        rewardModel);
  }

  /**
   * The annotate settings to run, or null: a mix, a judge or a reward model needs the annotation
   * columns, so each implies defaults.
   */
  public io.gristmill.curation.annotate.AnnotateConfig annotateToRun() {
    if (annotate != null) {
      return annotate.enabled() ? annotate : null;
    }
    return runsMix() || runsJudge() || runsRewardModel()
        ? io.gristmill.curation.annotate.AnnotateConfig.defaults()
        : null;
  }

  public boolean runsJudge() {
    return judge != null && judge.enabled();
  }

  public boolean runsRewardModel() {
    return rewardModel != null && rewardModel.enabled();
  }

  public boolean runsMix() {
    return mix != null && mix.enabled();
  }

  public boolean runsNearDedup() {
    return nearDedup != null && nearDedup.enabled();
  }

  public boolean runsDecontamination() {
    return decontamination != null && decontamination.enabled();
  }
}
