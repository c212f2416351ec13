package io.gristmill.scoring.value;

/**
 * What {@code value-model train} or {@code evaluate} did.
 *
 * @param trainRows prompts the model was fitted on (0 for evaluate)
 * @param heldOut metrics on the held-out split (train) or on the {@code evaluate} table
 * @param seconds wall time of fitting (train) or scoring (evaluate)
 */
public record ValueModelReport(long trainRows, ValueMetrics heldOut, double seconds) {}
