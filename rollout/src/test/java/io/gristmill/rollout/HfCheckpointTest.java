package io.gristmill.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.gristmill.core.record.Message;
import io.gristmill.core.testing.SharedData;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads HF-format checkpoints: verl's bf16 random model and our own generated ones. */
class HfCheckpointTest {
  @TempDir Path tmp;

  @Test
  void loadsVerlBf16CheckpointWithFiniteLogits() {
    Path dir = SharedData.require("models/verl_arithmetic_sequence_RANDOM_INIT");
    try (CausalLm lm = CausalLm.load(dir, Device.cpu())) {
      assertThat(lm.config().vocabSize()).isEqualTo(16);
      assertThat(lm.config().tiedEmbeddings()).isFalse();
      int[] ids = lm.tokenizer().encode("1,2,3:", false);
      assertThat(ids).containsExactly(5, 14, 6, 14, 7, 15);
      float[][] logits = lm.logits(ids);
      assertThat(logits).hasDimensions(6, 16);
      assertFinite(logits);
      assertThat(lm.defaults().eosIds()).containsExactly(1);
      assertThat(lm.chatTemplate().orElseThrow().render(List.of(Message.user("1,2")), false))
          .isEqualTo("1,2");
    }
  }

  @Test
  void ownBf16CheckpointRoundTripsTokenizerTemplateAndLogits() {
    TinyCheckpointWriter.write(tmp, TinyCheckpointSpec.tiny());
    try (CausalLm lm = CausalLm.load(tmp, Device.cpu())) {
      ModelConfig c = lm.config();
      assertThat(c.vocabSize()).isEqualTo(384);
      assertThat(c.nKvHeads()).isEqualTo(2);
      String text = "héllo wörld, 12 + 30 = 42\n";
      int[] ids = lm.tokenizer().encode(text, true);
      assertThat(ids[0]).isEqualTo(1);
      assertThat(lm.tokenizer().decode(ids, -1)).isEqualTo(text);
      float[][] logits = lm.logits(ids);
      assertThat(logits).hasNumberOfRows(ids.length);
      assertThat(logits[0]).hasSize(384);
      assertFinite(logits);
      String chat = lm.chatTemplate().orElseThrow().render(List.of(Message.user("hi")), true);
      assertThat(chat).isEqualTo("<s><|user|>\nhi</s>\n<|assistant|>\n");
      int[] prompt = lm.encodePrompt("hi", true);
      assertThat(prompt[0]).isEqualTo(1);
      assertThat(prompt).contains(2);
    }
  }

  @Test
  void sameSpecGivesSameWeightsAndFloat32MatchesBf16Closely() {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path f = tmp.resolve("f32");
    TinyCheckpointWriter.write(a, TinyCheckpointSpec.tiny());
    TinyCheckpointWriter.write(b, TinyCheckpointSpec.tiny());
    TinyCheckpointWriter.write(f, TinyCheckpointSpec.tiny().withDtype("float32"));
    int[] ids = {1, 40, 50, 60};
    try (CausalLm la = CausalLm.load(a, Device.cpu());
        CausalLm lb = CausalLm.load(b, Device.cpu());
        CausalLm lf = CausalLm.load(f, Device.cpu())) {
      float[][] x = la.logits(ids);
      assertThat(lb.logits(ids)).isDeepEqualTo(x);
      float[][] y = lf.logits(ids);
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < x[t].length; v++) {
          assertThat(Math.abs(x[t][v] - y[t][v])).isLessThan(0.05f);
        }
      }
    }
  }

  @Test
  void qwen2BiasesLoadAndGenerate() {
    TinyCheckpointWriter.write(tmp, TinyCheckpointSpec.tiny().withModelType("qwen2"));
    try (CausalLm lm = CausalLm.load(tmp, Device.cpu())) {
      assertThat(lm.config().qkvBias()).isTrue();
      List<SampleResult> r =
          new Generator(lm)
              .generate(
                  List.of(new PromptInput("x", lm.encodePrompt("abc", false))),
                  GenerationParams.greedy(5));
      assertThat(r.get(0).responseTokenIds()).hasSizeBetween(1, 5);
      assertThat(r.get(0).finishReason()).isIn(SampleResult.STOP, SampleResult.LENGTH);
    }
  }

  @Test
  void shardedFloat16CheckpointMatchesSingleFileFloat32() throws Exception {
    Path f32 = tmp.resolve("f32");
    Path f16 = tmp.resolve("f16");
    TinyCheckpointWriter.write(f32, TinyCheckpointSpec.tiny().withDtype("float32"));
    TinyCheckpointWriter.write(f16, TinyCheckpointSpec.tiny().withDtype("float16"));
    java.util.Map<String, Safetensors.Tensor> all =
        Safetensors.read(f16.resolve("model.safetensors"));
    java.util.Map<String, Safetensors.Tensor> a = new java.util.LinkedHashMap<>();
    java.util.Map<String, Safetensors.Tensor> b = new java.util.LinkedHashMap<>();
    StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
    int i = 0;
    for (var e : all.entrySet()) {
      String shard =
          i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
      (i % 2 == 0 ? a : b).put(e.getKey(), e.getValue());
      index
          .append(i == 0 ? "" : ", ")
          .append('"')
          .append(e.getKey())
          .append("\": \"")
          .append(shard)
          .append('"');
      i++;
    }
    index.append("}}");
    Safetensors.write(f16.resolve("model-00001-of-00002.safetensors"), a, "F16");
    Safetensors.write(f16.resolve("model-00002-of-00002.safetensors"), b, "F16");
    java.nio.file.Files.writeString(f16.resolve("model.safetensors.index.json"), index);
    java.nio.file.Files.delete(f16.resolve("model.safetensors"));
    int[] ids = {1, 70, 80, 90, 100};
    try (CausalLm sharded = CausalLm.load(f16, Device.cpu());
        CausalLm single = CausalLm.load(f32, Device.cpu())) {
      float[][] x = sharded.logits(ids);
      float[][] y = single.logits(ids);
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < x[t].length; v++) {
          assertThat(Math.abs(x[t][v] - y[t][v])).isLessThan(0.01f);
        }
      }
    }
  }

  static void assertFinite(float[][] logits) {
    for (float[] row : logits) {
      for (float v : row) {
        assertThat(v).isFinite();
      }
    }
  }
}
