package io.gristmill.rollout.spark;

import ai.djl.Device;
import io.gristmill.rollout.CausalLm;
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

  /**
   * The task's intra-op thread count: {@code threadsPerTask}, or when that is 0 the task's {@code
   * spark.task.cpus} (1 outside a task); on the CPU libtorch is set to it.
   */
  public static int useCpuThreads(Device device, int threadsPerTask) {
    TaskContext tc = TaskContext.get();
    int threads = threadsPerTask > 0 ? threadsPerTask : tc == null ? 1 : tc.cpus();
    if (Device.Type.CPU.equals(device.getDeviceType())) {
      CausalLm.setThreads(threads);
    }
    return threads;
  }

  /** A device as manifests name it: {@code cpu}, {@code gpu:0}, ... */
  public static String name(Device d) {
    return RolloutPartition.deviceName(d);
  }
}
