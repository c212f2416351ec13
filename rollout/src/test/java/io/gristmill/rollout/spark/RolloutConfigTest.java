package io.gristmill.rollout.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutConfigTest {
  @Test
  void exampleConfigBindsWithItsValues() {
    RolloutConfig c =
        ConfigLoader.load(
            SharedData.repoDir().resolve("conf/rollout.yaml"), RolloutConfig.class, List.of());
    assertThat(c.model()).endsWith("models/stories260K");
    assertThat(c.promptField()).isEqualTo("question");
    assertThat(c.generation().numSamples()).isEqualTo(4);
    assertThat(c.generation().topP()).isEqualTo(0.9);
    assertThat(c.generation().kvCache()).isTrue();
    assertThat(c.device()).isEqualTo("auto");
  }

  @Test
  void defaultsApplyAndOverridesAreChecked() {
    RolloutConfig c =
        ConfigLoader.fromString(
            "model: m\nprompts: p.jsonl\n",
            "inline.yaml",
            RolloutConfig.class,
            List.of("generation.temperature=0"));
    assertThat(c.generation().temperature()).isEqualTo(0.0);
    assertThat(c.generation().maxNewTokens()).isEqualTo(256);
    assertThat(c.dataset()).isEqualTo("rollouts");
    assertThat(c.chatTemplate()).isTrue();
  }

  @Test
  void cudaIsAnAliasOfGpuAndOtherDevicesAreRefused() {
    RolloutConfig c =
        ConfigLoader.fromString(
            "model: m\nprompts: p\ndevice: cuda\n", "d.yaml", RolloutConfig.class, List.of());
    assertThat(c.device()).isEqualTo("gpu");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "model: m\nprompts: p\ndevice: tpu\n",
                    "d.yaml",
                    RolloutConfig.class,
                    List.of()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("d.yaml")
        .hasMessageContaining("device")
        .hasMessageContaining("tpu");
  }

  @Test
  void dtypeAndBatchingBindAndUnknownValuesAreRefused() {
    RolloutConfig c =
        ConfigLoader.fromString(
            "model: m\nprompts: p\ndtype: bfloat16\ngeneration:\n  batching: static\n",
            "d.yaml",
            RolloutConfig.class,
            List.of());
    assertThat(c.dtype()).isEqualTo("bfloat16");
    assertThat(c.generation().batching()).isEqualTo("static");
    RolloutConfig d =
        ConfigLoader.fromString("model: m\nprompts: p\n", "d.yaml", RolloutConfig.class, List.of());
    assertThat(d.dtype()).isEqualTo("auto");
    assertThat(d.generation().batching()).isEqualTo("continuous");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "model: m\nprompts: p\ndtype: int8\n",
                    "d.yaml",
                    RolloutConfig.class,
                    List.of()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("dtype")
        .hasMessageContaining("int8");
  }

  @Test
  void outOfRangeTopPFailsWithFileAndKey() {
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "model: m\nprompts: p\ngeneration:\n  top_p: 1.5\n",
                    "bad.yaml",
                    RolloutConfig.class,
                    List.of()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("bad.yaml")
        .hasMessageContaining("generation.top_p")
        .hasMessageContaining("1.5");
  }

  @Test
  void missingModelIsReported() {
    assertThatThrownBy(
            () -> ConfigLoader.fromString("prompts: p\n", "x.yaml", RolloutConfig.class, List.of()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("'model'");
  }
}
