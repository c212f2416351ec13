package io.gristmill.rollout.spark;

import io.gristmill.core.Errors;
import io.gristmill.core.GristmillException;

/** Rollout-specific user-facing errors, built on core {@link Errors} factories. */
final class RolloutErrors {
  private RolloutErrors() {}

  /**
   * {@code device: gpu} where no usable GPU is visible (exit 5): what was requested, what was
   * found, and the two fixes.
   *
   * @param where the executor (host) that looked
   * @param sparkGpu the GPU address Spark assigned the task, or null
   * @param visible the GPUs libtorch sees
   */
  static GristmillException noGpu(String where, String sparkGpu, int visible) {
    return Errors.resourceFailed(
        "a GPU for rollout (device: gpu)",
        where,
        new IllegalStateException(
            String.format(
                "no GPU was found (libtorch sees %d GPU(s); Spark assigned this task %s). Set"
                    + " device: auto (uses the CPU when there is no GPU) or device: cpu; or run on"
                    + " GPU executors with spark.executor.resource.gpu.amount=1,"
                    + " spark.task.resource.gpu.amount=1 and a discovery script, and the CUDA"
                    + " libtorch (ai.djl.pytorch:pytorch-native-cu* on the classpath instead of"
                    + " pytorch-native-cpu)",
                visible, sparkGpu == null ? "no GPU" : "GPU " + sparkGpu)));
  }
}
