package io.gristmill.rollout.spark;

import ai.djl.Device;
import org.apache.spark.TaskContext;

/**
 * The device rule of the rollout stage, for other stages that run the engine in executors (the
 * judge and reward-model annotators): {@code cpu}; {@code auto}, the GPU Spark assigned the task
 * when libtorch sees it, else the CPU; {@code gpu}, a GPU or a failure with exit 5.
 */
public final class TaskDevices {
  private TaskDevices() {}

  /** The device the current task runs a model on (see {@link RolloutPartition#device}). */
  public static Device resolve(String wanted) {
    return RolloutPartition.device(wanted, TaskContext.get(), RolloutPartition::libtorchGpus);
  }

  /** A device as manifests name it: {@code cpu}, {@code gpu:0}, ... */
  public static String name(Device d) {
    return RolloutPartition.deviceName(d);
  }
}
