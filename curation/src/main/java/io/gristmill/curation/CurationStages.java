package io.gristmill.curation;

import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.stage.Stage;
import io.gristmill.curation.annotate.AnnotateConfig;
import io.gristmill.curation.annotate.AnnotateSparkStage;
import io.gristmill.curation.annotate.judge.JudgeConfig;
import io.gristmill.curation.annotate.judge.JudgeSparkStage;
import io.gristmill.curation.annotate.reward.RewardConfig;
import io.gristmill.curation.annotate.reward.RewardSparkStage;
import io.gristmill.curation.decontam.DecontaminationConfig;
import io.gristmill.curation.decontam.DecontaminationSparkStage;
import io.gristmill.curation.dedup.exact.ExactDedupConfig;
import io.gristmill.curation.dedup.exact.ExactDedupSparkStage;
import io.gristmill.curation.dedup.near.NearDedupConfig;
import io.gristmill.curation.dedup.near.NearDedupSparkStage;
import io.gristmill.curation.ingest.IngestConfig;
import io.gristmill.curation.ingest.IngestSparkStage;
import io.gristmill.curation.ingest.SourceConfig;
import io.gristmill.curation.mix.MixConfig;
import io.gristmill.curation.mix.MixSparkStage;
import java.util.ArrayList;
import java.util.List;

/**
 * The curation stages in pipeline order: {@code ingest}, {@code exact_dedup} and {@code
 * prompt_dedup} (as {@link ExactDedupConfig} switches them on), {@code near_dedup} and {@code
 * decontamination} (when given a config). With a prior snapshot in the context, the dedup stages
 * check new rows against its kept rows and its near-dedup state ({@link #NEAR_DEDUP_STATE}); the
 * near-dedup stage returns the new state (signatures of every row kept so far) as a {@code
 * SavedState} of that name.
 */
public final class CurationStages {
  /** The snapshot folder holding near-dedup signatures of everything kept so far. */
  public static final String NEAR_DEDUP_STATE = NearDedupSparkStage.STATE_NAME;

  private final IngestSparkStage ingest;
  private final List<Stage> stages;

  private CurationStages(IngestSparkStage ingest, List<Stage> stages) {
    this.ingest = ingest;
    this.stages = List.copyOf(stages);
  }

  /**
   * The stages for one run.
   *
   * @param nearOrNull near-dedup settings, or null to leave the stage out
   * @param decontamOrNull decontamination settings, or null to leave the stage out
   */
  public static CurationStages build(
      List<SourceConfig> sources,
      IngestConfig ingest,
      ExactDedupConfig exact,
      NearDedupConfig nearOrNull,
      DecontaminationConfig decontamOrNull) {
    IngestSparkStage in = new IngestSparkStage(sources, ingest);
    List<Stage> out = new ArrayList<>();
    out.add(in);
    out.addAll(ExactDedupSparkStage.stages(exact == null ? ExactDedupConfig.defaults() : exact));
    if (nearOrNull != null) {
      out.add(new NearDedupSparkStage(nearOrNull));
    }
    if (decontamOrNull != null) {
      out.add(new DecontaminationSparkStage(decontamOrNull));
    }
    return new CurationStages(in, out);
  }

  /**
   * The stages for one run, with {@code annotate} and {@code mix} after decontamination.
   *
   * @param annotateOrNull annotation settings, or null to leave the stage out
   * @param mixOrNull a mixing recipe, or null to leave the stage out
   */
  public static CurationStages build(
      List<SourceConfig> sources,
      IngestConfig ingest,
      ExactDedupConfig exact,
      NearDedupConfig nearOrNull,
      DecontaminationConfig decontamOrNull,
      AnnotateConfig annotateOrNull,
      MixConfig mixOrNull) {
    return build(
        sources, ingest, exact, nearOrNull, decontamOrNull, annotateOrNull, null, null, mixOrNull);
  }

  /**
   * The stages for one run, with {@code annotate}, then {@code judge} and {@code reward_model}
   * (model-made annotation columns), then {@code mix}, after decontamination.
   *
   * @param annotateOrNull annotation settings, or null to leave the stage out
   * @param judgeOrNull judge-model settings, or null to leave the stage out
   * @param rewardOrNull reward-model settings, or null to leave the stage out
   * @param mixOrNull a mixing recipe, or null to leave the stage out
   */
  public static CurationStages build(
      List<SourceConfig> sources,
      IngestConfig ingest,
      ExactDedupConfig exact,
      NearDedupConfig nearOrNull,
      DecontaminationConfig decontamOrNull,
      AnnotateConfig annotateOrNull,
      JudgeConfig judgeOrNull,
      RewardConfig rewardOrNull,
      MixConfig mixOrNull) {
    CurationStages base = build(sources, ingest, exact, nearOrNull, decontamOrNull);
    List<Stage> out = new ArrayList<>(base.stages);
    if (annotateOrNull != null) {
      out.add(new AnnotateSparkStage(annotateOrNull));
    }
    if (judgeOrNull != null) {
      out.add(new JudgeSparkStage(judgeOrNull));
    }
    if (rewardOrNull != null) {
      out.add(new RewardSparkStage(rewardOrNull));
    }
    if (mixOrNull != null) {
      out.add(new MixSparkStage(mixOrNull));
    }
    return new CurationStages(base.ingest, out);
  }

  /** The stages in order, ingest first. */
  public List<Stage> stages() {
    return stages;
  }

  /** The input files the ingest stage listed (bytes, sha256), valid after the pipeline ran it. */
  public List<SnapshotManifest.InputFile> listedInputs() {
    return ingest.listedInputs();
  }
}
