package io.gristmill.rollout.checkpoint;

import io.gristmill.core.config.Check;
import java.util.List;

/**
 * The shape of a random-weight checkpoint written by {@link TinyCheckpointWriter}.
 *
 * @param vocabSize at least 259 (3 special tokens and 256 bytes); the rest are BPE merges
 * @param dtype {@code float32}, {@code bfloat16} or {@code float16} safetensors
 * @param modelType {@code llama} or {@code qwen2} (q/k/v biases)
 */
public record TinyCheckpointSpec(
    Integer vocabSize,
    Integer dim,
    Integer hiddenDim,
    Integer nLayers,
    Integer nHeads,
    Integer nKvHeads,
    Integer maxSeqLen,
    Long seed,
    String dtype,
    Boolean tiedEmbeddings,
    String modelType) {
  public TinyCheckpointSpec {
    vocabSize = Check.intInRange("vocab_size", vocabSize, 384, 259, 259 + 65536);
    dim = Check.intInRange("dim", dim, 64, 4, 1 << 16);
    hiddenDim = Check.intInRange("hidden_dim", hiddenDim, 172, 1, 1 << 18);
    nLayers = Check.intInRange("n_layers", nLayers, 2, 1, 1024);
    nHeads = Check.intInRange("n_heads", nHeads, 4, 1, 1024);
    nKvHeads = Check.intInRange("n_kv_heads", nKvHeads, 2, 1, nHeads);
    maxSeqLen = Check.intInRange("max_seq_len", maxSeqLen, 512, 2, 1 << 20);
    seed = Check.orDefault(seed, 42L);
    dtype = Check.oneOf("dtype", dtype, "bfloat16", List.of("float32", "bfloat16", "float16"));
    tiedEmbeddings = Check.orDefault(tiedEmbeddings, false);
    modelType = Check.oneOf("model_type", modelType, "llama", List.of("llama", "qwen2"));
    if (dim % nHeads != 0 || nHeads % nKvHeads != 0 || (dim / nHeads) % 2 != 0) {
      throw io.gristmill.core.Errors.invalidValue(
          "n_heads",
          nHeads,
          "a divisor of dim giving an even head size, and a multiple of n_kv_heads");
    }
  }

  /** A ~50K-parameter test model (bf16, untied, GQA 4:2). */
  public static TinyCheckpointSpec tiny() {
    return new TinyCheckpointSpec(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The ~15M-parameter Llama shape of Karpathy's stories15M (dim 288, 6 layers, vocab 32000). */
  public static TinyCheckpointSpec llama15m() {
    return new TinyCheckpointSpec(32000, 288, 768, 6, 6, 6, 1024, 15L, "float32", true, "llama");
  }

  public TinyCheckpointSpec withDtype(String d) {
    return new TinyCheckpointSpec(
        vocabSize,
        dim,
        hiddenDim,
        nLayers,
        nHeads,
        nKvHeads,
        maxSeqLen,
        seed,
        d,
        tiedEmbeddings,
        modelType);
  }

  public TinyCheckpointSpec withModelType(String t) {
    return new TinyCheckpointSpec(
        vocabSize,
        dim,
        hiddenDim,
        nLayers,
        nHeads,
        nKvHeads,
        maxSeqLen,
        seed,
        dtype,
        tiedEmbeddings,
        t);
  }
}
