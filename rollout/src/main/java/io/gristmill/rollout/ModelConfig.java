package io.gristmill.rollout;

import java.util.List;

/**
 * The shape of a Llama-family decoder: sizes, rotary base and scaling, norm epsilon, tied or untied
 * output head, Qwen2-style q/k/v biases, Qwen3-style q/k RMSNorm, Mistral-style sliding-window
 * attention, an optional sequence-classification head, and the special token ids used by
 * generation.
 *
 * @param eosIds token ids that end a sequence (may be empty)
 * @param bosId the id prepended to prompts, or -1 when the model has none
 * @param padId the id used for left padding (any valid id: padded positions are masked); a
 *     classifier's score is read at the last token that is not {@code padId}
 * @param headDim the size of one attention head (Qwen3 sets it apart from {@code dim / nHeads})
 * @param rope how rotary frequencies are scaled ({@link RopeScaling#NONE} for plain RoPE)
 * @param qkNorm RMSNorm of each query and key head before the rotation (Qwen3)
 * @param slidingWindow a query sees only the last {@code slidingWindow} positions (itself
 *     included), or 0 for full causal attention (Mistral)
 * @param numLabels rows of a classification head ({@code score.weight}), or 0 for a language model
 */
public record ModelConfig(
    int vocabSize,
    int dim,
    int hiddenDim,
    int nLayers,
    int nHeads,
    int nKvHeads,
    int maxSeqLen,
    double ropeTheta,
    double normEps,
    boolean tiedEmbeddings,
    boolean qkvBias,
    int bosId,
    List<Integer> eosIds,
    int padId,
    int headDim,
    RopeScaling rope,
    boolean qkNorm,
    int slidingWindow,
    int numLabels) {
  public ModelConfig {
    eosIds = List.copyOf(eosIds);
    if (nHeads <= 0
        || nKvHeads <= 0
        || nHeads % nKvHeads != 0
        || headDim <= 0
        || headDim % 2 != 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build model: dim %d, heads %d, kv heads %d, head size %d: heads must be a"
                  + " multiple of kv heads and the head size even",
              dim, nHeads, nKvHeads, headDim));
    }
    rope = rope == null ? RopeScaling.NONE : rope;
  }

  /** A plain Llama (head size dim / heads, no rope scaling, full attention, a language model). */
  public ModelConfig(
      int vocabSize,
      int dim,
      int hiddenDim,
      int nLayers,
      int nHeads,
      int nKvHeads,
      int maxSeqLen,
      double ropeTheta,
      double normEps,
      boolean tiedEmbeddings,
      boolean qkvBias,
      int bosId,
      List<Integer> eosIds,
      int padId) {
    this(
        vocabSize,
        dim,
        hiddenDim,
        nLayers,
        nHeads,
        nKvHeads,
        maxSeqLen,
        ropeTheta,
        normEps,
        tiedEmbeddings,
        qkvBias,
        bosId,
        eosIds,
        padId,
        nHeads > 0 && dim % nHeads == 0 ? dim / nHeads : -1,
        RopeScaling.NONE,
        false,
        0,
        0);
  }

  /** Whether the head scores sequences ({@code *ForSequenceClassification}) instead of tokens. */
  public boolean isClassifier() {
    return numLabels > 0;
  }

  /** Inverse rotary frequencies for a sequence that can reach {@code seqLen} tokens. */
  float[] invFreq(int seqLen) {
    return rope.invFreq(headDim, ropeTheta, seqLen);
  }

  /** Number of parameters, counting a tied head once. */
  public long parameterCount() {
    long hd = headDim;
    long perLayer =
        2L * dim
            + (long) dim * (nHeads * hd)
            + 2L * dim * (nKvHeads * hd)
            + 1L * nHeads * hd * dim
            + 3L * dim * hiddenDim
            + (qkvBias ? (nHeads + 2L * nKvHeads) * hd : 0)
            + (qkNorm ? 2L * hd : 0);
    long head =
        isClassifier() ? (long) numLabels * dim : tiedEmbeddings ? 0 : (long) vocabSize * dim;
    return (long) vocabSize * dim + head + nLayers * perLayer + dim;
  }
}
