package io.gristmill.rollout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/** Device choice: the task's GPU when libtorch sees one, else a clean fallback to the CPU. */
class RolloutPartitionTest {
  @Test
  void cpuIsHonouredAndGpuFallsBackWhenNoneIsVisible() {
    assertThat(RolloutPartition.device("cpu", null)).isEqualTo(Device.cpu());
    boolean gpus = Engine.getEngine("PyTorch").getGpuCount() > 0;
    Device auto = RolloutPartition.device("auto", null);
    Device gpu = RolloutPartition.device("gpu", null);
    assertThat(auto).isEqualTo(Device.cpu());
    assertThat(gpu).isEqualTo(gpus ? Device.gpu(0) : Device.cpu());
  }
}
