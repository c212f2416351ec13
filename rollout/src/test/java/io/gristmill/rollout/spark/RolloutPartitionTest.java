package io.gristmill.rollout.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.gristmill.core.GristmillException;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRow;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One partition on the executor side: rejections with their reasons, answers carried into every
 * sample, the device marker, and the device choice (a GPU when asked and seen, a clean failure when
 * asked and not seen, the CPU for auto without one).
 */
class RolloutPartitionTest {
  @TempDir Path tmp;

  @Test
  void partitionRejectsEmptyAndOverlongPromptsAndRollsOutTheRest() {
    TinyCheckpointWriter.write(tmp, TinyCheckpointSpec.tiny());
    StructType schema =
        new StructType()
            .add("prompt_id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("data_source", DataTypes.StringType)
            .add("ground_truth", DataTypes.StringType);
    List<Row> in =
        List.of(
            new GenericRowWithSchema(new Object[] {"ok", "hello", "gsm8k", "42"}, schema),
            new GenericRowWithSchema(new Object[] {"empty", "", null, null}, schema),
            new GenericRowWithSchema(new Object[] {"null", null, null, null}, schema),
            new GenericRowWithSchema(new Object[] {"long", "x".repeat(4000), "m", "1"}, schema));
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
    LongAccumulator done = new LongAccumulator();
    new RolloutPartition(cfg, done)
        .call(in.iterator())
        .forEachRemaining(
            r -> out.add(new GenericRowWithSchema(((GenericRow) r).values(), RolloutRows.SCHEMA)));
    assertThat(out).hasSize(6);
    // progress: every prompt counts once, rolled out or rejected
    assertThat(done.value()).isEqualTo(4L);
    assertThat(out)
        .filteredOn(r -> r.<Integer>getAs("sample_index") == RolloutRows.DEVICE)
        .extracting(r -> r.<String>getAs("text"))
        .containsExactly("cpu");
    assertThat(out)
        .filteredOn(r -> r.<Integer>getAs("sample_index") == RolloutRows.REJECTED)
        .extracting(r -> r.<String>getAs("prompt_id") + ":" + r.<String>getAs("finish_reason"))
        .containsExactlyInAnyOrder(
            "empty:empty_prompt", "null:empty_prompt", "long:prompt_too_long");
    assertThat(out)
        .filteredOn(r -> "long".equals(r.getAs("prompt_id")))
        .extracting(r -> r.<String>getAs("text"))
        .singleElement()
        .asString()
        .matches("the prompt has \\d+ tokens; the model's context is \\d+");
    assertThat(out)
        .filteredOn(r -> r.<Integer>getAs("sample_index") >= 0)
        .extracting(
            r ->
                r.getAs("prompt_id")
                    + "#"
                    + r.getAs("sample_index")
                    + ":"
                    + r.getAs("model_id")
                    + ":"
                    + r.getAs("data_source")
                    + ":"
                    + r.getAs("ground_truth"))
        .containsExactly("ok#0:m:gsm8k:42", "ok#1:m:gsm8k:42");
  }

  @Test
  void cpuIsHonouredAndAutoUsesTheCpuWithoutAGpu() {
    assertThat(RolloutPartition.device("cpu", null, () -> 4)).isEqualTo(Device.cpu());
    assertThat(RolloutPartition.device("auto", null, () -> 0)).isEqualTo(Device.cpu());
    // auto takes a GPU only when Spark assigned the task one
    assertThat(RolloutPartition.device("auto", null, () -> 1)).isEqualTo(Device.cpu());
    assertThat(RolloutPartition.device("gpu", null, () -> 1)).isEqualTo(Device.gpu(0));
    assertThat(RolloutPartition.deviceName(Device.gpu(1))).isEqualTo("gpu:1");
    assertThat(RolloutPartition.deviceName(Device.cpu())).isEqualTo("cpu");
  }

  @Test
  void gpuWithoutAVisibleGpuFailsWithExitFiveAndTheFix() {
    assertThatThrownBy(() -> RolloutPartition.device("gpu", null, () -> 0))
        .isInstanceOfSatisfying(
            GristmillException.class, e -> assertThat(e.kind().exitCode()).isEqualTo(5))
        .hasMessage(
            "Cannot load a GPU for rollout (device: gpu) from this JVM: no GPU was found (libtorch"
                + " sees 0 GPU(s); Spark assigned this task no GPU). Set device: auto (uses the CPU"
                + " when there is no GPU) or device: cpu; or run on GPU executors with"
                + " spark.executor.resource.gpu.amount=1, spark.task.resource.gpu.amount=1 and a"
                + " discovery script, and the CUDA libtorch (ai.djl.pytorch:pytorch-native-cu* on"
                + " the classpath instead of pytorch-native-cpu).");
  }
}
