package io.gristmill.rollout;

import java.util.List;

/**
 * The shape of a Llama-family decoder: sizes, rotary base, norm epsilon, tied or untied output
 * head, Qwen2-style q/k/v biases, and the special token ids used by generation.
 *
 * @param eosIds token ids that end a sequence (may be empty)
 * @param bosId the id prepended to prompts, or -1 when the model has none
 * @param padId the id used for left padding (any valid id: padded positions are masked)
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
    int padId) {
  public ModelConfig {
    eosIds = List.copyOf(eosIds);
    if (dim % nHeads != 0 || nHeads % nKvHeads != 0 || (dim / nHeads) % 2 != 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build model: dim %d, heads %d, kv heads %d do not divide into even head"
                  + " sizes",
              dim, nHeads, nKvHeads));
    }
  }

  public int headDim() {
    return dim / nHeads;
  }

  /** Number of parameters, counting a tied head once. */
  public long parameterCount() {
    long hd = headDim();
    long perLayer =
        2L * dim
            + (long) dim * (nHeads * hd)
            + 2L * dim * (nKvHeads * hd)
            + 1L * nHeads * hd * dim
            + 3L * dim * hiddenDim
            + (qkvBias ? (nHeads + 2L * nKvHeads) * hd : 0);
    return (long) vocabSize * dim * (tiedEmbeddings ? 1 : 2) + nLayers * perLayer + dim;
  }
}
