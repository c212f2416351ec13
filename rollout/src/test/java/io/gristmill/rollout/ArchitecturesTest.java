package io.gristmill.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.core.GristmillException;
import io.gristmill.rollout.checkpoint.TinyArchitectures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Llama-3 / linear / dynamic rope scaling, SmolLM2, Mistral's window, Qwen3's q/k norms. */
class ArchitecturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @org.junit.jupiter.api.BeforeAll
  static void oneThread() {
    CausalLm.setThreads(1); // tiny models: extra OpenMP workers only spin
  }

  @Test
  void inverseFrequenciesMatchThePublishedFormulas() {
    // plain RoPE, head size 8, theta 10000: theta^(-2j/8) = 1, 0.1, 0.01, 0.001
    assertClose(RopeScaling.NONE.invFreq(8, 10000, 0), 1, 0.1, 0.01, 0.001);
    // linear, factor 2: halved
    RopeScaling linear = new RopeScaling("linear", 2, 0, 0, 64);
    assertClose(linear.invFreq(8, 10000, 0), 0.5, 0.05, 0.005, 0.0005);
    // dynamic NTK, factor 2, M = 64, L = 128: base = 10000 * (2 * 128 / 64 - 1)^(8 / 6) = 10000 *
    // 3^(4/3); below M the base is unchanged
    RopeScaling dynamic = new RopeScaling("dynamic", 2, 0, 0, 64);
    double base = 10000 * Math.pow(3, 4.0 / 3);
    assertClose(
        dynamic.invFreq(8, 10000, 128),
        1,
        Math.pow(base, -0.25),
        Math.pow(base, -0.5),
        Math.pow(base, -0.75));
    assertClose(dynamic.invFreq(8, 10000, 64), 1, 0.1, 0.01, 0.001);
    // llama3: factor 8, low 1, high 4, M = 8192, theta 500000, head size 8.
    // inv = 500000^(-j/4); wavelengths 2 pi / inv: 6.3, 167, 4443, 118148. High-frequency
    // wavelength M / 4 = 2048, low-frequency one M / 1 = 8192: j = 0, 1 kept; j = 3 divided by 8;
    // j = 2 interpolated with s = (8192 / 4443 - 1) / (4 - 1).
    double i2 = Math.pow(500000, -0.5);
    double s = (8192 / (2 * Math.PI / i2) - 1) / 3;
    RopeScaling llama3 = new RopeScaling("llama3", 8, 1, 4, 8192);
    assertClose(
        llama3.invFreq(8, 500000, 0),
        1,
        Math.pow(500000, -0.25),
        (1 - s) * i2 / 8 + s * i2,
        Math.pow(500000, -0.75) / 8);
    assertThat(s).isBetween(0.28, 0.29);
  }

  @Test
  void eachTinyArchitectureLoadsAndGeneratesTheSameIdsAloneAndBatched() {
    for (String name : TinyArchitectures.NAMES) {
      if (name.equals("llama3-rm")) {
        continue;
      }
      Path dir = tmp.resolve(name);
      TinyArchitectures.write(dir, name);
      try (CausalLm lm = CausalLm.load(dir, Device.cpu())) {
        ModelConfig c = lm.config();
        switch (name) {
          case "llama3" -> {
            assertThat(c.rope().type()).isEqualTo("llama3");
            assertThat(c.rope().originalMaxPositions()).isEqualTo(64);
            assertThat(c.tiedEmbeddings()).isTrue();
          }
          case "qwen3" -> {
            assertThat(c.headDim()).isEqualTo(32).isNotEqualTo(c.dim() / c.nHeads());
            assertThat(c.qkNorm()).isTrue();
            assertThat(c.qkvBias()).isFalse();
          }
          case "mistral" -> assertThat(c.slidingWindow()).isEqualTo(8);
          case "smollm2" -> assertThat(c.nHeads() / c.nKvHeads()).isEqualTo(3);
          default -> assertThat(c.rope().type()).isEqualTo(name);
        }
        List<PromptInput> prompts =
            List.of(
                new PromptInput("a", lm.encodePrompt("hello there, how are you", false)),
                new PromptInput("b", lm.encodePrompt("2+2=", false)));
        GenerationParams p = GenerationParams.greedy(12).withIgnoreEos(true);
        Generator g = new Generator(lm);
        List<SampleResult> batched = g.generate(prompts, p.withBatchSize(2));
        List<SampleResult> alone = g.generate(prompts, p.withBatchSize(1));
        for (int i = 0; i < 2; i++) {
          assertThat(batched.get(i).responseTokenIds()).as(name).hasSize(12);
          assertThat(batched.get(i).responseTokenIds())
              .as(name)
              .containsExactly(alone.get(i).responseTokenIds());
        }
        HfCheckpointTest.assertFinite(lm.logits(prompts.get(0).tokenIds()));
      }
    }
  }

  @Test
  void mistralSlidingWindowHidesTokensBeyondTheReceptiveField() {
    Path mistral = tmp.resolve("mistral");
    TinyArchitectures.write(mistral, "mistral");
    int[] a = new int[20];
    for (int i = 0; i < a.length; i++) {
      a[i] = 10 + 7 * i;
    }
    int[] farChanged = a.clone();
    farChanged[0] = 300; // 19 positions back: beyond 2 layers x (window 8 - 1) = 14
    int[] nearChanged = a.clone();
    nearChanged[12] = 300; // 7 back: inside the window
    try (CausalLm lm = CausalLm.load(mistral, Device.cpu())) {
      float[] base = lm.logits(a)[19];
      assertThat(lm.logits(farChanged)[19])
          .containsExactly(base, org.assertj.core.api.Assertions.within(1e-5f));
      assertThat(maxDiff(lm.logits(nearChanged)[19], base)).isGreaterThan(1e-4f);
      // the same model without the window sees the far token
      rewriteConfig(mistral, n -> n.putNull("sliding_window"));
    }
    try (CausalLm full = CausalLm.load(mistral, Device.cpu())) {
      assertThat(full.config().slidingWindow()).isZero();
      assertThat(maxDiff(full.logits(farChanged)[19], full.logits(a)[19])).isGreaterThan(1e-4f);
    }
  }

  @Test
  void qwen3QueryKeyNormsMakeLogitsInvariantToProjectionScale() throws Exception {
    Path q = tmp.resolve("qwen3");
    TinyArchitectures.write(q, "qwen3");
    int[] ids = {1, 40, 50, 60, 70, 80};
    float[][] before;
    try (CausalLm lm = CausalLm.load(q, Device.cpu())) {
      before = lm.logits(ids);
    }
    // scale q_proj by 2 and k_proj by 4 (exact in bf16): RMSNorm of each head undoes it
    Path f = q.resolve("model.safetensors");
    Map<String, Safetensors.Tensor> t = new LinkedHashMap<>(Safetensors.read(f));
    for (String name : new ArrayList<>(t.keySet())) {
      float k = name.endsWith("q_proj.weight") ? 2f : name.endsWith("k_proj.weight") ? 4f : 1f;
      if (k != 1f) {
        float[] d = t.get(name).data().clone();
        for (int i = 0; i < d.length; i++) {
          d[i] *= k;
        }
        t.put(name, new Safetensors.Tensor(t.get(name).shape(), d));
      }
    }
    Safetensors.write(f, t, "BF16");
    try (CausalLm lm = CausalLm.load(q, Device.cpu())) {
      float[][] after = lm.logits(ids);
      for (int i = 0; i < ids.length; i++) {
        assertThat(maxDiff(after[i], before[i])).isLessThan(1e-4f);
      }
    }
    // without the norms (a plain Qwen2-like forward) the same scaling changes the logits
    rewriteConfig(q, n -> n.put("model_type", "llama"));
    Map<String, Safetensors.Tensor> noNorm = new LinkedHashMap<>(t);
    noNorm.keySet().removeIf(n -> n.contains("_norm.weight") && n.contains("self_attn"));
    Safetensors.write(f, noNorm, "BF16");
    try (CausalLm lm = CausalLm.load(q, Device.cpu())) {
      assertThat(lm.config().qkNorm()).isFalse();
      assertThat(maxDiff(lm.logits(ids)[5], before[5])).isGreaterThan(1e-4f);
    }
  }

  @Test
  void unsupportedFieldsFailNamingTheField() throws Exception {
    Path dir = tmp.resolve("bad");
    TinyArchitectures.write(dir, "llama3");
    assertUnsupported(
        dir,
        n -> ((ObjectNode) n.get("rope_scaling")).put("rope_type", "yarn"),
        "rope_type 'yarn'");
    assertUnsupported(
        dir,
        n -> ((ObjectNode) n.get("rope_scaling")).remove("low_freq_factor"),
        "low_freq_factor");
    assertUnsupported(
        dir, n -> ((ObjectNode) n.get("rope_scaling")).put("mscale", 1.0), "rope_scaling.mscale");
    assertUnsupported(dir, n -> n.put("hidden_act", "gelu"), "hidden_act 'gelu'");
    assertUnsupported(dir, n -> n.put("mlp_bias", true), "mlp_bias");
    assertUnsupported(
        dir,
        n -> n.putArray("architectures").add("LlamaForTokenClassification"),
        "architectures 'LlamaForTokenClassification'");
    Path qwen = tmp.resolve("badqwen");
    TinyArchitectures.write(qwen, "qwen3");
    assertUnsupported(qwen, n -> n.put("use_sliding_window", true), "use_sliding_window");
  }

  private static void assertUnsupported(Path dir, Consumer<ObjectNode> edit, String field)
      throws Exception {
    Path cfg = dir.resolve("config.json");
    String original = Files.readString(cfg);
    rewriteConfig(dir, edit);
    try {
      assertThatThrownBy(() -> CausalLm.load(dir, Device.cpu()).close())
          .isInstanceOf(GristmillException.class)
          .hasMessageContaining(field)
          .hasMessageContaining("not supported");
    } finally {
      Files.writeString(cfg, original);
    }
  }

  static void rewriteConfig(Path dir, Consumer<ObjectNode> edit) {
    try {
      ObjectNode n = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
      edit.accept(n);
      JSON.writeValue(dir.resolve("config.json").toFile(), n);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static float maxDiff(float[] x, float[] y) {
    float m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs(x[i] - y[i]));
    }
    return m;
  }

  private static void assertClose(float[] actual, double... expected) {
    assertThat(actual).hasSize(expected.length);
    for (int j = 0; j < expected.length; j++) {
      assertThat((double) actual[j])
          .as("inv_freq[%d]", j)
          .isCloseTo(expected[j], org.assertj.core.api.Assertions.withinPercentage(1e-4));
    }
  }
}
