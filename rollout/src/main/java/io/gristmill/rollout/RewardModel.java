package io.gristmill.rollout;

import ai.djl.Device;
import io.gristmill.core.Errors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A sequence scorer: a HuggingFace {@code *ForSequenceClassification} checkpoint (Llama, Mistral,
 * Qwen2/Qwen3 decoder with a {@code score.weight} head of {@code num_labels} rows and no bias), as
 * reward models such as FsfairX-LLaMA3-RM are published. The score of a sequence is the head's
 * output at its last token that is not the model's pad id (the rule of HF's {@code
 * LlamaForSequenceClassification}: trailing pad tokens are ignored; a sequence of only pad tokens
 * is read at its last token).
 *
 * <p>Use: {@code try (RewardModel rm = RewardModel.load(dir, Device.cpu())) { float[] r =
 * rm.score(List.of(ids1, ids2)); }}. Sequences are token ids exactly as the model should see them
 * (apply the chat template and BOS before, e.g. with {@link #lm()}{@code .encodePrompt} or the
 * tokenizer). Sequences are scored in left-padded batches of {@link #BATCH}; the result does not
 * depend on batching beyond float rounding. Owns the model: close it.
 */
public final class RewardModel implements AutoCloseable {
  /** Sequences per forward pass. */
  public static final int BATCH = 16;

  private final CausalLm lm;

  private RewardModel(CausalLm lm) {
    this.lm = lm;
  }

  /** Loads a classification checkpoint; a causal LM folder fails (exit 3) naming the problem. */
  public static RewardModel load(Path dir, Device device) {
    CausalLm lm = CausalLm.load(dir, device);
    if (!lm.config().isClassifier()) {
      String id = lm.modelId();
      lm.close();
      throw Errors.modelUnsupported(
          dir.toString(),
          "scoring with a causal LM head ("
              + id
              + " has no score.weight; a reward model is a"
              + " *ForSequenceClassification checkpoint)");
    }
    return new RewardModel(lm);
  }

  /** The underlying model (its tokenizer, chat template and config). */
  public CausalLm lm() {
    return lm;
  }

  public int numLabels() {
    return lm.config().numLabels();
  }

  /** The first label's score of each sequence (the reward, for a one-label reward model). */
  public float[] score(List<int[]> tokenIds) {
    float[][] all = scores(tokenIds);
    float[] out = new float[all.length];
    for (int i = 0; i < all.length; i++) {
      out[i] = all[i][0];
    }
    return out;
  }

  /** All labels' scores of each sequence, [N][numLabels]. */
  public float[][] scores(List<int[]> tokenIds) {
    int pad = lm.config().padId();
    List<int[]> rows = new ArrayList<>(tokenIds.size());
    for (int[] ids : tokenIds) {
      if (ids.length == 0) {
        throw Errors.invalidValue("token_ids", "[]", "a non-empty sequence to score");
      }
      int end = ids.length;
      while (end > 0 && ids[end - 1] == pad) {
        end--;
      }
      rows.add(end == 0 ? ids : Arrays.copyOf(ids, end));
    }
    float[][] out = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i += BATCH) {
      List<int[]> chunk = rows.subList(i, Math.min(rows.size(), i + BATCH));
      float[][] s = lm.lastLogits(chunk.toArray(new int[0][]));
      System.arraycopy(s, 0, out, i, s.length);
    }
    return out;
  }

  @Override
  public void close() {
    lm.close();
  }
}
