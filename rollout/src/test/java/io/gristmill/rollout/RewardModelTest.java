package io.gristmill.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.gristmill.core.GristmillException;
import io.gristmill.rollout.checkpoint.TinyArchitectures;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sequence-classification head ({@code score.weight}) and the {@link RewardModel} API. */
class RewardModelTest {
  @TempDir Path tmp;

  @BeforeAll
  static void oneThread() {
    CausalLm.setThreads(1);
  }

  @Test
  void scoreEqualsAHandComputationAtTheLastNonPadToken() throws Exception {
    Path dir = tmp.resolve("rm");
    TinyArchitectures.write(dir, "llama3-rm");
    // fixture: zero o_proj and down_proj make every layer the identity, so the score of a
    // sequence is score.weight . rmsnorm(embed[last]) (norm weights are ones); token 40's
    // embedding and the head are set to known values (exact in float32)
    Path f = dir.resolve("model.safetensors");
    Map<String, Safetensors.Tensor> t = new LinkedHashMap<>(Safetensors.read(f));
    int dim = 64;
    float[] x = new float[dim];
    float[] w = new float[dim];
    for (int i = 0; i < dim; i++) {
      x[i] = (i % 4) - 1.5f; // -1.5, -0.5, 0.5, 1.5, -1.5, ...
      w[i] = i >= 32 ? -0.125f : i % 4 == 3 ? 1f : 0.25f;
    }
    for (Map.Entry<String, Safetensors.Tensor> e : t.entrySet()) {
      String n = e.getKey();
      float[] d = e.getValue().data().clone();
      if (n.endsWith("o_proj.weight") || n.endsWith("down_proj.weight")) {
        java.util.Arrays.fill(d, 0f);
      } else if (n.equals("model.embed_tokens.weight")) {
        System.arraycopy(x, 0, d, 40 * dim, dim);
      } else if (n.equals("score.weight")) {
        d = w.clone();
      }
      e.setValue(new Safetensors.Tensor(e.getValue().shape(), d));
    }
    Safetensors.write(f, t, "F32");
    // by hand: mean(x^2) = (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25, rms = sqrt(1.25 + eps), eps =
    // 1e-5. sum_i w_i x_i: first half, the eight 1.5 entries give 8 * 1.5 * 1 = 12 and the others
    // 0.25 * 8 * (-1.5 - 0.5 + 0.5) = -3; the second half -0.125 * 8 * 0 = 0. score = 9 / rms.
    double expected = 9 / Math.sqrt(1.25 + 1e-5);
    try (RewardModel rm = RewardModel.load(dir, Device.cpu())) {
      assertThat(rm.numLabels()).isEqualTo(1);
      int pad = rm.lm().config().padId();
      float[] s =
          rm.score(
              List.of(
                  new int[] {1, 40},
                  new int[] {1, 77, 99, 123, 40},
                  new int[] {1, 40, pad, pad},
                  new int[] {1, 41}));
      assertThat((double) s[0]).isCloseTo(expected, within(1e-4));
      assertThat((double) s[1]).isCloseTo(expected, within(1e-4));
      assertThat((double) s[2]).as("trailing pad ignored").isCloseTo(expected, within(1e-4));
      assertThat((double) s[3]).isNotCloseTo(expected, within(1e-2));
    }
  }

  @Test
  void randomRewardModelScoresDoNotDependOnBatchingAndGenerationIsRefused() {
    Path dir = tmp.resolve("rm");
    TinyArchitectures.write(dir, "llama3-rm");
    try (RewardModel rm = RewardModel.load(dir, Device.cpu())) {
      int[][] seqs = new int[20][];
      for (int i = 0; i < seqs.length; i++) {
        seqs[i] = new int[3 + i % 7];
        for (int j = 0; j < seqs[i].length; j++) {
          seqs[i][j] = 1 + (i * 31 + j * 17) % 380;
        }
      }
      float[] all = rm.score(List.of(seqs));
      for (int i = 0; i < seqs.length; i++) {
        assertThat(rm.score(List.of(seqs[i]))[0]).isCloseTo(all[i], within(1e-5f));
      }
      assertThat(all[0]).isNotEqualTo(all[1]);
      assertThatThrownBy(() -> new Generator(rm.lm()))
          .isInstanceOf(GristmillException.class)
          .hasMessageContaining("RewardModel");
    }
    Path lmDir = tmp.resolve("lm");
    TinyCheckpointWriter.write(lmDir, TinyCheckpointSpec.tiny());
    assertThatThrownBy(() -> RewardModel.load(lmDir, Device.cpu()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("score.weight");
  }

  @Test
  void dtypeResolvesToFloat32OnCpuAndRejectsHalfThere() {
    assertThat(ComputeDtype.resolve("auto", Device.cpu())).isEqualTo("float32");
    assertThat(ComputeDtype.resolve(null, Device.cpu())).isEqualTo("float32");
    assertThat(ComputeDtype.resolve("float32", Device.cpu())).isEqualTo("float32");
    assertThat(ComputeDtype.resolve("auto", Device.gpu(0))).isEqualTo("bfloat16");
    assertThat(ComputeDtype.resolve("float16", Device.gpu(0))).isEqualTo("float16");
    for (String half : List.of("float16", "bfloat16")) {
      assertThatThrownBy(() -> ComputeDtype.resolve(half, Device.cpu()))
          .isInstanceOf(GristmillException.class)
          .hasMessageContaining("dtype")
          .hasMessageContaining(half + " runs on CUDA devices only");
    }
    assertThatThrownBy(() -> ComputeDtype.resolve("int8", Device.cpu()))
        .hasMessageContaining("int8");
  }
}
