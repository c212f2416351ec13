package io.gristmill.rollout.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.core.GristmillException;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.Safetensors;
import io.gristmill.rollout.checkpoint.TinyBertWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BertEncoder} on project-generated tiny checkpoints, against a plain-Java forward pass. */
class BertEncoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static Path dir;

  @BeforeAll
  static void write() {
    CausalLm.setThreads(1);
    dir = tmp.resolve("bert");
    TinyBertWriter.write(dir, TinyBertWriter.Spec.tiny());
  }

  @Test
  void tokensAreWordPiecesBetweenClsAndSep() throws Exception {
    JsonNode vocab =
        JSON.readTree(dir.resolve("tokenizer.json").toFile()).path("model").path("vocab");
    try (BertEncoder enc = BertEncoder.load(dir, Device.cpu())) {
      BertEncoder.Tokens t = enc.tokenize("The cat sat.");
      long[] want = {
        vocab.get("[CLS]").asLong(),
        vocab.get("the").asLong(),
        vocab.get("cat").asLong(),
        vocab.get("s").asLong(),
        vocab.get("##a").asLong(),
        vocab.get("##t").asLong(),
        vocab.get(".").asLong(),
        vocab.get("[SEP]").asLong()
      };
      assertThat(t.ids()).containsExactly(want);
      assertThat(t.typeIds()).containsOnly(0L);
      BertEncoder.Tokens longText = enc.tokenize("the cat ".repeat(100));
      assertThat(enc.maxTokens()).isEqualTo(64);
      assertThat(longText.ids()).hasSize(64);
      assertThat(longText.ids()[63]).isEqualTo(vocab.get("[SEP]").asLong());
    }
  }

  @Test
  void vectorEqualsAPlainJavaForwardPass() throws Exception {
    String text = "Janet's ducks lay 16 eggs per day.";
    // fixture: at std 0.02 attention is near uniform and gelu near linear, which would hide
    // errors there: query/key (weights and biases) are scaled by 15, the intermediate dense by 10
    Path sharp = copy("sharp");
    Path f = sharp.resolve("model.safetensors");
    Map<String, Safetensors.Tensor> w = new LinkedHashMap<>(Safetensors.read(f));
    for (Map.Entry<String, Safetensors.Tensor> e : w.entrySet()) {
      String n = e.getKey();
      float k =
          n.contains("self.query.") || n.contains("self.key.")
              ? 15f
              : n.contains("intermediate.") ? 10f : 1f;
      float[] d = e.getValue().data().clone();
      for (int i = 0; i < d.length; i++) {
        d[i] *= k;
      }
      e.setValue(new Safetensors.Tensor(e.getValue().shape(), d));
    }
    Safetensors.write(f, w, "F32");
    try (BertEncoder enc = BertEncoder.load(sharp, Device.cpu())) {
      long[] ids = enc.tokenize(text).ids();
      double[] want = reference(w, ids, 32, 2, 4, 1e-12);
      float[] got = enc.encode(List.of(text))[0];
      assertThat(got).hasSize(32);
      double norm = 0;
      for (int i = 0; i < got.length; i++) {
        assertThat((double) got[i]).as("dim %d", i).isCloseTo(want[i], within(2e-5));
        norm += got[i] * got[i];
      }
      assertThat(norm).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void poolingIgnoresPaddingAndBatchingKeepsTheOrder() {
    String shortText = "How many apples?";
    String longText =
        "Write a python function that returns the sum of every number in a list, then find the"
            + " total cost of three apples.";
    try (BertEncoder enc = BertEncoder.load(dir, Device.cpu())) {
      float[] alone = enc.encode(List.of(shortText))[0];
      float[][] both = enc.encode(List.of(shortText, longText, shortText), 32);
      float[] longAlone = enc.encode(List.of(longText))[0];
      for (int i = 0; i < alone.length; i++) {
        assertThat(both[0][i]).isCloseTo(alone[i], within(1e-5f));
        assertThat(both[2][i]).isCloseTo(alone[i], within(1e-5f));
        assertThat(both[1][i]).isCloseTo(longAlone[i], within(1e-5f));
      }
      assertThat(dot(alone, longAlone)).isLessThan(0.999);
      float[][] ones = enc.encode(List.of(shortText, longText, shortText), 1);
      assertThat(ones[1]).containsExactly(longAlone, within(1e-5f));
    }
  }

  @Test
  void theBertPrefixOfBertForCheckpointsIsRead() {
    Path prefixed = tmp.resolve("bert-prefixed");
    TinyBertWriter.write(prefixed, TinyBertWriter.Spec.tiny().withPrefix(true));
    try (BertEncoder a = BertEncoder.load(dir, Device.cpu());
        BertEncoder b = BertEncoder.load(prefixed, Device.cpu())) {
      assertThat(b.encode(List.of("the dog"))[0])
          .containsExactly(a.encode(List.of("the dog"))[0], within(1e-6f));
    }
  }

  @Test
  void unsupportedFieldsAndMissingTensorsFailNamingThem() throws Exception {
    assertThatThrownBy(() -> load(c -> c.put("hidden_act", "relu")))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("hidden_act 'relu' (only gelu) is not supported");
    assertThatThrownBy(() -> load(c -> c.put("model_type", "roberta")))
        .hasMessageContaining("model_type 'roberta'");
    assertThatThrownBy(() -> load(c -> c.put("position_embedding_type", "relative_key")))
        .hasMessageContaining("position_embedding_type 'relative_key'");
    assertThatThrownBy(() -> load(c -> c.remove("num_attention_heads")))
        .hasMessageContaining("without a positive num_attention_heads");
    assertThatThrownBy(() -> load(c -> c.put("num_hidden_layers", 3)))
        .hasMessageContaining("tensor 'encoder.layer.2.attention.self.query.weight'")
        .hasMessageContaining("is missing");
    Path pooled = copy("cls-pooling");
    Files.createDirectories(pooled.resolve("1_Pooling"));
    Files.writeString(
        pooled.resolve("1_Pooling/config.json"),
        "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}");
    assertThatThrownBy(() -> BertEncoder.load(pooled, Device.cpu()))
        .hasMessageContaining("pooling_mode_mean_tokens true (only mean pooling)");
  }

  private interface Edit {
    void apply(ObjectNode config);
  }

  private static int copies;

  private static Path copy(String name) throws Exception {
    Path d = tmp.resolve(name + "-" + copies++);
    Files.createDirectories(d);
    for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
      Files.copy(dir.resolve(f), d.resolve(f));
    }
    return d;
  }

  private static void load(Edit edit) throws Exception {
    Path d = copy("edited");
    ObjectNode c = (ObjectNode) JSON.readTree(d.resolve("config.json").toFile());
    edit.apply(c);
    JSON.writeValue(d.resolve("config.json").toFile(), c);
    BertEncoder.load(d, Device.cpu()).close();
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  // ---- the reference: BERT's forward pass written out in doubles ----------------------------

  private static double[] reference(
      Map<String, Safetensors.Tensor> w, long[] ids, int h, int layers, int heads, double eps) {
    int t = ids.length;
    double[][] x = new double[t][h];
    float[] word = w.get("embeddings.word_embeddings.weight").data();
    float[] pos = w.get("embeddings.position_embeddings.weight").data();
    float[] type = w.get("embeddings.token_type_embeddings.weight").data();
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < h; j++) {
        x[i][j] = word[(int) ids[i] * h + j] + pos[i * h + j] + type[j];
      }
    }
    x = layerNorm(x, w, "embeddings.LayerNorm.", eps);
    int hd = h / heads;
    for (int l = 0; l < layers; l++) {
      String p = "encoder.layer." + l + ".";
      double[][] q = dense(x, w, p + "attention.self.query.");
      double[][] k = dense(x, w, p + "attention.self.key.");
      double[][] v = dense(x, w, p + "attention.self.value.");
      double[][] ctx = new double[t][h];
      for (int n = 0; n < heads; n++) {
        for (int i = 0; i < t; i++) {
          double[] s = new double[t];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < t; j++) {
            double d = 0;
            for (int c = 0; c < hd; c++) {
              d += q[i][n * hd + c] * k[j][n * hd + c];
            }
            s[j] = d / Math.sqrt(hd);
            max = Math.max(max, s[j]);
          }
          double z = 0;
          for (int j = 0; j < t; j++) {
            s[j] = Math.exp(s[j] - max);
            z += s[j];
          }
          for (int j = 0; j < t; j++) {
            for (int c = 0; c < hd; c++) {
              ctx[i][n * hd + c] += s[j] / z * v[j][n * hd + c];
            }
          }
        }
      }
      x =
          layerNorm(
              add(dense(ctx, w, p + "attention.output.dense."), x),
              w,
              p + "attention.output.LayerNorm.",
              eps);
      double[][] f = dense(x, w, p + "intermediate.dense.");
      for (double[] row : f) {
        for (int j = 0; j < row.length; j++) {
          row[j] = 0.5 * row[j] * (1 + erf(row[j] / Math.sqrt(2)));
        }
      }
      x = layerNorm(add(dense(f, w, p + "output.dense."), x), w, p + "output.LayerNorm.", eps);
    }
    double[] mean = new double[h];
    for (double[] row : x) {
      for (int j = 0; j < h; j++) {
        mean[j] += row[j] / t;
      }
    }
    double n = 0;
    for (double m : mean) {
      n += m * m;
    }
    for (int j = 0; j < h; j++) {
      mean[j] /= Math.sqrt(n);
    }
    return mean;
  }

  private static double[][] dense(double[][] x, Map<String, Safetensors.Tensor> w, String p) {
    Safetensors.Tensor wt = w.get(p + "weight");
    float[] b = w.get(p + "bias").data();
    int out = (int) wt.shape()[0];
    int in = (int) wt.shape()[1];
    double[][] y = new double[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        double s = b[o];
        for (int c = 0; c < in; c++) {
          s += x[i][c] * wt.data()[o * in + c];
        }
        y[i][o] = s;
      }
    }
    return y;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] y = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      y[i] = a[i].clone();
      for (int j = 0; j < y[i].length; j++) {
        y[i][j] += b[i][j];
      }
    }
    return y;
  }

  private static double[][] layerNorm(
      double[][] x, Map<String, Safetensors.Tensor> w, String p, double eps) {
    float[] g = w.get(p + "weight").data();
    float[] b = w.get(p + "bias").data();
    double[][] y = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      double mu = 0;
      for (double v : x[i]) {
        mu += v / x[i].length;
      }
      double var = 0;
      for (double v : x[i]) {
        var += (v - mu) * (v - mu) / x[i].length;
      }
      y[i] = new double[x[i].length];
      for (int j = 0; j < y[i].length; j++) {
        y[i][j] = (x[i][j] - mu) / Math.sqrt(var + eps) * g[j] + b[j];
      }
    }
    return y;
  }

  /** erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
  private static double erf(double x) {
    double s = Math.signum(x);
    double a = Math.abs(x);
    double t = 1 / (1 + 0.3275911 * a);
    double y =
        1
            - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t
                    + 0.254829592)
                * t
                * Math.exp(-a * a);
    return s * y;
  }

  @Test
  void vectorSearchScoresAreTheDotProductsWithEveryRow() {
    float[] rows = {1, 0, 0, 0, 1, 0, 0.6f, 0.8f, 0};
    try (VectorSearch s = new VectorSearch(rows, 3, Device.cpu())) {
      assertThat(s.size()).isEqualTo(3);
      float[][] sc = s.scores(new float[][] {{0, 1, 0}, {0.6f, 0.8f, 0}});
      assertThat(sc[0]).containsExactly(new float[] {0, 1, 0.8f}, within(1e-6f));
      assertThat(sc[1]).containsExactly(new float[] {0.6f, 0.8f, 1f}, within(1e-6f));
      assertThatThrownBy(() -> s.scores(new float[][] {{1, 0}}))
          .hasMessageContaining("a vector of size 3");
    }
  }
}
