package io.gristmill.scoring.value;

/**
 * What {@code value-model select} did.
 *
 * @param poolRows prompts in the pool
 * @param selected prompts picked (min of m and the pool)
 * @param meanPredicted mean predicted value of the picked prompts
 * @param maxDistance the largest |prediction - target| among the picked
 * @param meanLabelSelected mean label of the picked prompts when the pool has labels, else NaN
 * @param seconds wall time of featurizing, predicting and picking (forward passes of a language
 *     model: none)
 * @param snapshotDir the published selection snapshot, or null for a dry run
 */
public record SelectionReport(
    long poolRows,
    long selected,
    double meanPredicted,
    double maxDistance,
    double meanLabelSelected,
    double seconds,
    String snapshotDir) {}
