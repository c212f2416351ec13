package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gristmill.core.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a llama2.c checkpoint (legacy version-0 {@code .bin}: 7 int32 header fields, then float32
 * arrays; a negative vocab size means an untied classifier at the end) and its {@code
 * tokenizer.bin}. Query and key rows are permuted per head from llama2.c's adjacent-pair rotary
 * layout to the HF "rotate half" layout, which leaves attention scores unchanged.
 */
final class Llama2cLoader {
  private Llama2cLoader() {}

  /** True when {@code path} is a {@code .bin} file or a folder with a model {@code .bin}. */
  static boolean accepts(Path path) {
    return modelFile(path) != null;
  }

  static Path modelFile(Path path) {
    if (Files.isRegularFile(path) && path.toString().endsWith(".bin")) {
      return path;
    }
    if (!Files.isDirectory(path)) {
      return null;
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.filter(p -> p.toString().endsWith(".bin"))
          .filter(p -> !isTokenizerName(p))
          .sorted()
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isTokenizerName(Path p) {
    String n = p.getFileName().toString();
    return n.startsWith("tok");
  }

  static Path tokenizerFile(Path modelFile) {
    Path dir = modelFile.toAbsolutePath().getParent();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".bin"))
          .filter(Llama2cLoader::isTokenizerName)
          .sorted()
          .findFirst()
          .orElseThrow(
              () ->
                  Errors.resourceFailed(
                      "llama2.c tokenizer",
                      dir.toString(),
                      new IOException("no tokenizer.bin or tok*.bin next to the model")));
    } catch (IOException e) {
      throw Errors.resourceFailed("llama2.c tokenizer", dir.toString(), e);
    }
  }

  static LoadedCheckpoint load(Path path, NDManager m) {
    Path file = modelFile(path);
    ByteBuffer buf;
    try {
      buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw Errors.resourceFailed("llama2.c model", file.toString(), e);
    }
    int dim = buf.getInt();
    int hidden = buf.getInt();
    int layers = buf.getInt();
    int heads = buf.getInt();
    int kvHeads = buf.getInt();
    int vocabRaw = buf.getInt();
    int seqLen = buf.getInt();
    int vocab = Math.abs(vocabRaw);
    boolean tied = vocabRaw > 0;
    ModelConfig c =
        new ModelConfig(
            vocab,
            dim,
            hidden,
            layers,
            heads,
            kvHeads,
            seqLen,
            10000.0,
            1e-5,
            tied,
            false,
            Llama2cTokenizer.BOS,
            List.of(Llama2cTokenizer.BOS, Llama2cTokenizer.EOS),
            0);
    int hd = c.headDim();
    FloatBuffer f = buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    long expected =
        (long) vocab * dim
            + layers * (2L * dim + (long) dim * dim * 2 + 2L * kvHeads * hd * dim)
            + layers * 3L * dim * hidden
            + dim
            + (long) seqLen * hd;
    if (f.remaining() < expected) {
      throw Errors.resourceFailed(
          "llama2.c model",
          file.toString(),
          new IOException("file holds " + f.remaining() + " floats, header needs " + expected));
    }
    Map<String, NDArray> t = new HashMap<>();
    t.put("model.embed_tokens.weight", read(f, m, vocab, dim));
    String[] attnNorm = names(layers, "input_layernorm.weight");
    perLayer(t, attnNorm, f, m, dim, -1, 0);
    perLayer(t, names(layers, "self_attn.q_proj.weight"), f, m, dim, dim, heads);
    perLayer(t, names(layers, "self_attn.k_proj.weight"), f, m, kvHeads * hd, dim, kvHeads);
    perLayer(t, names(layers, "self_attn.v_proj.weight"), f, m, kvHeads * hd, dim, 0);
    perLayer(t, names(layers, "self_attn.o_proj.weight"), f, m, dim, dim, 0);
    perLayer(t, names(layers, "post_attention_layernorm.weight"), f, m, dim, -1, 0);
    perLayer(t, names(layers, "mlp.gate_proj.weight"), f, m, hidden, dim, 0);
    perLayer(t, names(layers, "mlp.down_proj.weight"), f, m, dim, hidden, 0);
    perLayer(t, names(layers, "mlp.up_proj.weight"), f, m, hidden, dim, 0);
    t.put("model.norm.weight", read(f, m, dim, -1));
    f.position(f.position() + seqLen * hd); // freq_cis real and imag: recomputed
    if (!tied) {
      t.put("lm_head.weight", read(f, m, vocab, dim));
    }
    Llama2cTokenizer tok = Llama2cTokenizer.read(tokenizerFile(file), vocab);
    String id = file.getFileName().toString().replaceAll("\\.bin$", "");
    return new LoadedCheckpoint(id, c, t, tok, null, GenerationDefaults.of(c));
  }

  private static String[] names(int layers, String suffix) {
    String[] n = new String[layers];
    for (int i = 0; i < layers; i++) {
      n[i] = "model.layers." + i + "." + suffix;
    }
    return n;
  }

  private static void perLayer(
      Map<String, NDArray> t,
      String[] names,
      FloatBuffer f,
      NDManager m,
      int rows,
      int cols,
      int ropeHeads) {
    for (String n : names) {
      float[] v = new float[cols < 0 ? rows : rows * cols];
      f.get(v);
      if (ropeHeads > 0) {
        v = toRotateHalf(v, ropeHeads, rows / ropeHeads, cols);
      }
      t.put(n, m.create(v, cols < 0 ? new Shape(rows) : new Shape(rows, cols)));
    }
  }

  private static NDArray read(FloatBuffer f, NDManager m, int rows, int cols) {
    float[] v = new float[cols < 0 ? rows : rows * cols];
    f.get(v);
    return m.create(v, cols < 0 ? new Shape(rows) : new Shape(rows, cols));
  }

  /** Row 2j of each head moves to j, row 2j+1 to half + j. */
  static float[] toRotateHalf(float[] w, int heads, int hd, int cols) {
    float[] out = new float[w.length];
    int half = hd / 2;
    for (int h = 0; h < heads; h++) {
      for (int j = 0; j < half; j++) {
        System.arraycopy(w, (h * hd + 2 * j) * cols, out, (h * hd + j) * cols, cols);
        System.arraycopy(w, (h * hd + 2 * j + 1) * cols, out, (h * hd + half + j) * cols, cols);
      }
    }
    return out;
  }
}
