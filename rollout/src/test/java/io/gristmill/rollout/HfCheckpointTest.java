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

  static void assertFinite(float[][] logits) {
    for (float[] row : logits) {
      for (float v : row) {
        assertThat(v).isFinite();
      }
    }
  }
}
