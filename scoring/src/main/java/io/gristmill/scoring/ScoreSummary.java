package io.gristmill.scoring;

import io.gristmill.core.stage.StageReport;
import java.util.List;
import java.util.Map;

/**
 * What {@link ScoreJob#run} did.
 *
 * @param snapshotId the snapshot written under {@code ROOT/<dataset>/snapshots/}
 * @param snapshotDir its full path
 * @param stages per-stage counts: {@code score_input}, {@code score_reward}, {@code group_stats}
 * @param numbers key figures: rollouts, prompts, mean_reward, accuracy, dapo_all_equal_groups,
 *     dapo_all_equal_rollouts, prompts_too_hard / _intermediate / _too_easy, verdict_&lt;status&gt;
 *     counts, and label_agreement when the input carries labels
 */
public record ScoreSummary(
    String snapshotId, String snapshotDir, List<StageReport> stages, Map<String, Double> numbers) {}
