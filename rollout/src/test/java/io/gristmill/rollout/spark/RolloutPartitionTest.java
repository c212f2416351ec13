package io.gristmill.rollout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device choice: the task's GPU when libtorch sees one, else a clean fallback to the CPU. */
class RolloutPartitionTest {
  @TempDir Path tmp;

  @Test
  void partitionRejectsEmptyAndOverlongPromptsAndRollsOutTheRest() {
    TinyCheckpointWriter.write(tmp, TinyCheckpointSpec.tiny());
    StructType schema =
        new StructType().add("prompt_id", DataTypes.StringType).add("prompt", DataTypes.StringType);
    List<Row> in =
        List.of(
            new GenericRowWithSchema(new Object[] {"ok", "hello"}, schema),
            new GenericRowWithSchema(new Object[] {"empty", ""}, schema),
            new GenericRowWithSchema(new Object[] {"null", null}, schema),
            new GenericRowWithSchema(new Object[] {"long", "x".repeat(4000)}, schema));
    RolloutConfig cfg =
        new RolloutConfig(
            tmp.toString(),
            "unused",
            null,
            null,
            null,
            null,
            "m",
            false,
            "cpu",
            1,
            null,
            GenerationParams.greedy(3).withNumSamples(2));
    List<Row> out = new ArrayList<>();
    new RolloutPartition(cfg).call(in.iterator()).forEachRemaining(out::add);
    assertThat(out).hasSize(5);
    assertThat(out)
        .filteredOn(r -> r.getInt(1) < 0)
        .extracting(r -> r.getString(0) + ":" + r.getString(9))
        .containsExactlyInAnyOrder(
            "empty:empty_prompt", "null:empty_prompt", "long:prompt_too_long");
    assertThat(out)
        .filteredOn(r -> r.getInt(1) >= 0)
        .extracting(r -> r.getString(0) + "#" + r.getInt(1) + ":" + r.getString(2))
        .containsExactly("ok#0:m", "ok#1:m");
  }

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
