package io.gristmill.rollout;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import io.gristmill.core.Errors;
import io.gristmill.core.record.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded causal language model: weights on one device, its tokenizer, chat template and
 * generation defaults. Owns native memory; close it. Thread-safe for concurrent forward passes
 * (weights are read-only), though one model per JVM and batching is the efficient use.
 */
public final class CausalLm implements AutoCloseable {
  static {
    // DJL calls home (engine download, telemetry) unless offline; never let it, whatever the
    // launcher's flags. libtorch comes from the pytorch-native-cpu jar.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  private final String modelId;
  private final NDManager manager;
  private final LlamaModel model;
  private final TextTokenizer tokenizer;
  private final ChatTemplate chatTemplate;
  private final GenerationDefaults defaults;
  private final String dtype;

  private CausalLm(LoadedCheckpoint ck, NDManager manager, String dtype) {
    this.modelId = ck.modelId();
    this.manager = manager;
    this.dtype = dtype;
    this.model =
        new LlamaModel(
            ck.config(),
            LlamaWeights.fromNamed(
                ck.tensors(), ck.config(), manager, ck.modelId(), ComputeDtype.dataType(dtype)),
            manager);
    this.tokenizer = ck.tokenizer();
    this.chatTemplate = ck.chatTemplate();
    this.defaults = ck.defaults();
  }

  /**
   * Loads a checkpoint: a HuggingFace folder ({@code config.json}) or a llama2.c {@code .bin} (a
   * file, or a folder holding it and its {@code tok*.bin} tokenizer). Weights become float32 on
   * {@code device} (bfloat16 on a CUDA device: {@link ComputeDtype} {@code auto}).
   */
  public static CausalLm load(Path path, Device device) {
    return load(path, device, ComputeDtype.AUTO);
  }

  /**
   * As {@link #load(Path, Device)} in {@code dtype} ({@code auto}, {@code float32}, {@code
   * float16}, {@code bfloat16}; see {@link ComputeDtype#resolve}).
   */
  public static CausalLm load(Path path, Device device, String dtype) {
    String resolved = ComputeDtype.resolve(dtype, device);
    if (!Files.exists(path)) {
      throw Errors.modelNotFound(path.toString());
    }
    NDManager m = Engine.getEngine("PyTorch").newBaseManager(device);
    try (NDManager loading = m.newSubManager()) {
      LoadedCheckpoint ck;
      if (HfLoader.accepts(path)) {
        ck = HfLoader.load(path, loading);
      } else if (Llama2cLoader.accepts(path)) {
        ck = Llama2cLoader.load(path, loading);
      } else {
        throw Errors.modelNotFound(path.toString());
      }
      return new CausalLm(ck, m, resolved);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** Sets libtorch's intra-op threads for this JVM (match the cores a task owns). */
  public static void setThreads(int threads) {
    Engine.getEngine("PyTorch"); // loads libtorch before the JNI call
    if (JniUtils.getNumThreads() != threads) {
      JniUtils.setNumThreads(threads);
    }
  }

  /**
   * Intra-op threads worth using for a model on {@code cores} CPU cores: one for models under ~5M
   * parameters (there each op is too small to split, and idle OpenMP workers only spin), else all.
   */
  public static int suggestedThreads(ModelConfig c, int cores) {
    return c.parameterCount() < 5_000_000L ? 1 : Math.max(1, cores);
  }

  public String modelId() {
    return modelId;
  }

  public ModelConfig config() {
    return model.config();
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public Optional<ChatTemplate> chatTemplate() {
    return Optional.ofNullable(chatTemplate);
  }

  public GenerationDefaults defaults() {
    return defaults;
  }

  public Device device() {
    return manager.getDevice();
  }

  /**
   * The dtype weights and activations are in: {@code float32}, {@code float16} or {@code bfloat16}.
   */
  public String dtype() {
    return dtype;
  }

  /**
   * Bytes of KV cache one sequence slot holds per cached position (all layers, keys and values).
   */
  public long kvBytesPerPosition() {
    return KvCache.bytesPerRow(config(), 1, model.dtype());
  }

  /**
   * Token ids of a user prompt: rendered through the chat template when {@code useChatTemplate} and
   * the model has one (the template supplies BOS), else the raw text with BOS prepended.
   */
  public int[] encodePrompt(String prompt, boolean useChatTemplate) {
    if (useChatTemplate && chatTemplate != null) {
      String text = chatTemplate.render(List.of(Message.user(prompt)), true);
      return tokenizer.encode(text, false);
    }
    return tokenizer.encode(prompt, true);
  }

  /**
   * Logits of every position of {@code ids}, [T][vocab] ([T][labels] for a classifier), by one
   * uncached forward pass.
   */
  @SuppressWarnings("try") // the scope closes the forward pass's arrays
  public float[][] logits(int[] ids) {
    int v = config().isClassifier() ? config().numLabels() : config().vocabSize();
    float[] flat;
    try (NDScope ignored = new NDScope()) {
      BatchInputs in = BatchInputs.prefill(new int[][] {ids}, config());
      NDArray out =
          model.forward(in.ids(manager), in.rope(manager), in.mask(manager), null, 0, false);
      flat = out.toFloatArray();
    }
    float[][] r = new float[ids.length][];
    for (int t = 0; t < ids.length; t++) {
      r[t] = new float[v];
      System.arraycopy(flat, t * v, r[t], 0, v);
    }
    return r;
  }

  /** Logits of the last position of each row, [B][V], by one uncached, left-padded forward pass. */
  @SuppressWarnings("try") // the scope closes the forward pass's arrays
  float[][] lastLogits(int[][] rows) {
    int v = config().isClassifier() ? config().numLabels() : config().vocabSize();
    float[] flat;
    try (NDScope ignored = new NDScope()) {
      BatchInputs in = BatchInputs.prefill(rows, config());
      NDArray out =
          model.forward(in.ids(manager), in.rope(manager), in.mask(manager), null, 0, true);
      flat = out.toFloatArray();
    }
    float[][] r = new float[rows.length][v];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(flat, i * v, r[i], 0, v);
    }
    return r;
  }

  /** Teacher-forced log-probability of {@code ids[t+1]} given {@code ids[0..t]}, length T-1. */
  public double[] tokenLogprobs(int[] ids) {
    float[][] logits = logits(ids);
    double[] out = new double[ids.length - 1];
    for (int t = 0; t + 1 < ids.length; t++) {
      out[t] = Sampler.logSoftmaxAt(logits[t], ids[t + 1], 1.0);
    }
    return out;
  }

  LlamaModel model() {
    return model;
  }

  NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    tokenizer.close();
    manager.close();
  }
}
