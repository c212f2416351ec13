package io.gristmill.rollout.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.Errors;
import io.gristmill.rollout.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A BERT-family sentence encoder from a local HuggingFace folder: {@code config.json} ({@link
 * BertConfig}), {@code model.safetensors} (tensor names with or without the {@code bert.} prefix of
 * {@code BertFor*} checkpoints; heads are ignored), {@code tokenizer.json} through DJL's
 * HuggingFace tokenizer with the special tokens its post-processor adds ({@code [CLS] ... [SEP]}
 * for WordPiece BERT tokenizers), truncated to the model's length ({@code max_position_embeddings},
 * or {@code max_seq_length} of a sentence-transformers {@code sentence_bert_config.json} when
 * smaller). A text's vector is the mean of its tokens' last hidden states (padding excluded),
 * L2-normalized, so the dot product of two vectors is their cosine. A sentence-transformers folder
 * whose {@code 1_Pooling/config.json} asks for another pooling fails.
 *
 * <p>Texts are encoded in batches of similar length (sorted by token count, padded to the longest
 * of the batch). Weights are float32 on the given device. Owns native memory; close it. Thread-safe
 * for concurrent calls (weights are read-only).
 */
public final class BertEncoder implements AutoCloseable {
  static {
    // as CausalLm: never let DJL call home
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  /** Texts per forward pass by default. */
  public static final int BATCH = 32;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final float MASKED = -1e9f;

  private final String modelId;
  private final NDManager manager;
  private final BertConfig c;
  private final Weights w;
  private final HuggingFaceTokenizer tok;
  private final int maxTokens;

  private record Layer(
      NDArray wq,
      NDArray bq,
      NDArray wk,
      NDArray bk,
      NDArray wv,
      NDArray bv,
      NDArray wo,
      NDArray bo,
      NDArray ln1w,
      NDArray ln1b,
      NDArray wi,
      NDArray bi,
      NDArray wOut,
      NDArray bOut,
      NDArray ln2w,
      NDArray ln2b) {}

  private record Weights(
      NDArray word, NDArray pos, NDArray type, NDArray lnw, NDArray lnb, List<Layer> layers) {}

  /** One text's token ids and token type ids, special tokens included. */
  record Tokens(long[] ids, long[] typeIds) {}

  private BertEncoder(
      String modelId,
      NDManager manager,
      BertConfig c,
      Weights w,
      HuggingFaceTokenizer tok,
      int maxTokens) {
    this.modelId = modelId;
    this.manager = manager;
    this.c = c;
    this.w = w;
    this.tok = tok;
    this.maxTokens = maxTokens;
  }

  /** Loads the encoder in {@code dir} onto {@code device}; an unsupported field fails naming it. */
  public static BertEncoder load(Path dir, Device device) {
    String where = dir.toString();
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      throw Errors.resourceFailed(
          "sentence encoder", where, new IOException("no config.json in the folder"));
    }
    BertConfig c = BertConfig.parse(json(dir.resolve("config.json")), where);
    checkPooling(dir, where);
    int maxTokens = c.maxPositions();
    Path st = dir.resolve("sentence_bert_config.json");
    if (Files.isRegularFile(st) && json(st).path("max_seq_length").asInt(0) > 0) {
      maxTokens = Math.min(maxTokens, json(st).get("max_seq_length").asInt());
    }
    Path tokFile = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokFile)) {
      throw Errors.resourceFailed(
          "tokenizer", where, new IOException("no tokenizer.json in the folder"));
    }
    NDManager m = Engine.getEngine("PyTorch").newBaseManager(device);
    HuggingFaceTokenizer tok = null;
    try {
      Weights w = weights(dir.resolve("model.safetensors"), c, m, where);
      tok = tokenizer(tokFile, maxTokens);
      return new BertEncoder(dir.getFileName().toString(), m, c, w, tok, maxTokens);
    } catch (RuntimeException e) {
      if (tok != null) {
        tok.close();
      }
      m.close();
      throw e;
    }
  }

  private static void checkPooling(Path dir, String where) {
    Path p = dir.resolve("1_Pooling").resolve("config.json");
    if (!Files.isRegularFile(p)) {
      return;
    }
    JsonNode n = json(p);
    if (!n.path("pooling_mode_mean_tokens").asBoolean(false)) {
      throw Errors.encoderUnsupported(
          where, "1_Pooling/config.json without pooling_mode_mean_tokens true (only mean pooling)");
    }
  }

  private static HuggingFaceTokenizer tokenizer(Path file, int maxTokens) {
    try {
      return HuggingFaceTokenizer.newInstance(
          file,
          Map.of(
              "addSpecialTokens",
              "true",
              "truncation",
              "true",
              "maxLength",
              String.valueOf(maxTokens),
              "padding",
              "false"));
    } catch (IOException | RuntimeException e) {
      throw Errors.resourceFailed("tokenizer", file.toString(), e);
    }
  }

  private static Weights weights(Path file, BertConfig c, NDManager m, String where) {
    Map<String, Safetensors.Tensor> t;
    try {
      t = Safetensors.read(file);
    } catch (IOException | RuntimeException e) {
      throw Errors.resourceFailed("safetensors weights", file.toString(), e);
    }
    String prefix = t.containsKey("bert.embeddings.word_embeddings.weight") ? "bert." : "";
    Take take = (name, rows, cols) -> take(t, prefix + name, rows, cols, m, where);
    int h = c.hidden();
    int in = c.intermediate();
    float scale = (float) (1.0 / Math.sqrt(c.headDim()));
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < c.layers(); i++) {
      String p = "encoder.layer." + i + ".";
      String a = p + "attention.";
      layers.add(
          new Layer(
              take.of(a + "self.query.weight", h, h).muli(scale),
              take.of(a + "self.query.bias", h, -1).muli(scale),
              take.of(a + "self.key.weight", h, h),
              take.of(a + "self.key.bias", h, -1),
              take.of(a + "self.value.weight", h, h),
              take.of(a + "self.value.bias", h, -1),
              take.of(a + "output.dense.weight", h, h),
              take.of(a + "output.dense.bias", h, -1),
              take.of(a + "output.LayerNorm.weight", h, -1),
              take.of(a + "output.LayerNorm.bias", h, -1),
              take.of(p + "intermediate.dense.weight", in, h),
              take.of(p + "intermediate.dense.bias", in, -1),
              take.of(p + "output.dense.weight", h, in),
              take.of(p + "output.dense.bias", h, -1),
              take.of(p + "output.LayerNorm.weight", h, -1),
              take.of(p + "output.LayerNorm.bias", h, -1)));
    }
    String e = "embeddings.";
    return new Weights(
        take.of(e + "word_embeddings.weight", c.vocabSize(), h),
        take.of(e + "position_embeddings.weight", c.maxPositions(), h),
        take.of(e + "token_type_embeddings.weight", c.typeVocab(), h),
        take.of(e + "LayerNorm.weight", h, -1),
        take.of(e + "LayerNorm.bias", h, -1),
        layers);
  }

  private interface Take {
    NDArray of(String name, long rows, long cols);
  }

  private static NDArray take(
      Map<String, Safetensors.Tensor> t,
      String name,
      long rows,
      long cols,
      NDManager m,
      String where) {
    Safetensors.Tensor a = t.get(name);
    Shape want = cols < 0 ? new Shape(rows) : new Shape(rows, cols);
    if (a == null) {
      throw Errors.modelTensorMissing(where, name, want.toString());
    }
    Shape have = new Shape(a.shape());
    if (!have.equals(want)) {
      throw Errors.modelTensorShape(where, name, want.toString(), have.toString());
    }
    return m.create(a.data(), want);
  }

  public String modelId() {
    return modelId;
  }

  /** The vector size (the model's hidden size). */
  public int dim() {
    return c.hidden();
  }

  /** Tokens a text is truncated to, special tokens included. */
  public int maxTokens() {
    return maxTokens;
  }

  public Device device() {
    return manager.getDevice();
  }

  /** Weights of the encoder (embeddings included). */
  public long parameterCount() {
    long h = c.hidden();
    long in = c.intermediate();
    long perLayer = 4 * (h * h + h) + 2 * h * in + in + h + 4 * h;
    return (c.vocabSize() + c.maxPositions() + c.typeVocab()) * h + 2 * h + c.layers() * perLayer;
  }

  /** A text's tokens as the encoder sees them (special tokens added, truncated). */
  Tokens tokenize(String text) {
    Encoding e = tok.encode(text == null ? "" : text);
    return new Tokens(e.getIds(), e.getTypeIds());
  }

  /** Tokens the encoder reads of {@code text} (special tokens included, after truncation). */
  public int tokenCount(String text) {
    return tokenize(text).ids().length;
  }

  /** The L2-normalized mean-pooled vector of each text, in batches of {@link #BATCH}. */
  public float[][] encode(List<String> texts) {
    return encode(texts, BATCH);
  }

  /** The L2-normalized mean-pooled vector of each text, {@code batchSize} texts per pass. */
  public float[][] encode(List<String> texts, int batchSize) {
    if (batchSize < 1) {
      throw Errors.invalidValue("batch_size", batchSize, "at least 1");
    }
    int n = texts.size();
    Tokens[] toks = new Tokens[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      toks[i] = tokenize(texts.get(i));
      order[i] = i;
    }
    // similar lengths share a batch (less padding); ties keep the input order
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> -toks[i].ids().length));
    float[][] out = new float[n][];
    for (int s = 0; s < n; s += batchSize) {
      int b = Math.min(batchSize, n - s);
      Tokens[] batch = new Tokens[b];
      for (int j = 0; j < b; j++) {
        batch[j] = toks[order[s + j]];
      }
      float[][] v = forward(batch);
      for (int j = 0; j < b; j++) {
        out[order[s + j]] = v[j];
      }
    }
    return out;
  }

  /** One forward pass over right-padded rows; pooled and normalized vectors [B][H]. */
  @SuppressWarnings("try") // the scope closes the forward pass's arrays
  private float[][] forward(Tokens[] rows) {
    int b = rows.length;
    int t = 0;
    for (Tokens r : rows) {
      t = Math.max(t, r.ids().length);
    }
    long[] ids = new long[b * t];
    long[] types = new long[b * t];
    float[] mask = new float[b * t];
    Arrays.fill(ids, c.padId());
    for (int i = 0; i < b; i++) {
      long[] r = rows[i].ids();
      System.arraycopy(r, 0, ids, i * t, r.length);
      System.arraycopy(rows[i].typeIds(), 0, types, i * t, r.length);
      Arrays.fill(mask, i * t, i * t + r.length, 1f);
    }
    int h = c.hidden();
    int heads = c.heads();
    int hd = c.headDim();
    Shape ln = new Shape(h);
    float eps = (float) c.eps();
    float[] flat;
    try (NDScope ignored = new NDScope()) {
      NDArray idA = manager.create(ids, new Shape((long) b * t));
      NDArray typeA = manager.create(types, new Shape((long) b * t));
      NDArray maskA = manager.create(mask, new Shape(b, t));
      NDArray x =
          w.word()
              .get(idA)
              .addi(w.type().get(typeA))
              .reshape(b, t, h)
              .addi(w.pos().get(new NDIndex("0:" + t)));
      x = LayerNorm.layerNorm(x, ln, w.lnw(), w.lnb(), eps).singletonOrThrow();
      NDArray additive = maskA.sub(1f).muli(-MASKED).reshape(b, 1, 1, t);
      for (Layer l : w.layers()) {
        NDArray q = heads(Linear.linear(x, l.wq(), l.bq()).singletonOrThrow(), b, t, heads, hd);
        NDArray k = heads(Linear.linear(x, l.wk(), l.bk()).singletonOrThrow(), b, t, heads, hd);
        NDArray v = heads(Linear.linear(x, l.wv(), l.bv()).singletonOrThrow(), b, t, heads, hd);
        NDArray o =
            q.matMul(k.transpose(0, 1, 3, 2))
                .addi(additive)
                .softmax(-1)
                .matMul(v)
                .transpose(0, 2, 1, 3)
                .reshape(b, t, h);
        NDArray a = Linear.linear(o, l.wo(), l.bo()).singletonOrThrow().addi(x);
        x = LayerNorm.layerNorm(a, ln, l.ln1w(), l.ln1b(), eps).singletonOrThrow();
        NDArray f = Activation.gelu(Linear.linear(x, l.wi(), l.bi()).singletonOrThrow());
        NDArray y = Linear.linear(f, l.wOut(), l.bOut()).singletonOrThrow().addi(x);
        x = LayerNorm.layerNorm(y, ln, l.ln2w(), l.ln2b(), eps).singletonOrThrow();
      }
      NDArray pooled =
          x.mul(maskA.reshape(b, t, 1)).sum(new int[] {1}).div(maskA.sum(new int[] {1}, true));
      NDArray norm = pooled.square().sum(new int[] {1}, true).sqrt().maximum(1e-12f);
      flat = pooled.div(norm).toFloatArray();
    }
    float[][] out = new float[b][h];
    for (int i = 0; i < b; i++) {
      System.arraycopy(flat, i * h, out[i], 0, h);
    }
    return out;
  }

  /** [B, T, n*hd] to [B, n, T, hd]. */
  private static NDArray heads(NDArray x, int b, int t, int n, int hd) {
    return x.reshape(b, t, n, hd).transpose(0, 2, 1, 3);
  }

  private static JsonNode json(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw Errors.resourceFailed("model file", p.toString(), e);
    }
  }

  @Override
  public void close() {
    tok.close();
    manager.close();
  }
}
