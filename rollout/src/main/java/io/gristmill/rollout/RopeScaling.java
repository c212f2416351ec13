package io.gristmill.rollout;

/**
 * How rotary inverse frequencies are computed, from a HuggingFace {@code config.json}'s {@code
 * rope_theta} and {@code rope_scaling}:
 *
 * <ul>
 *   <li>{@code default} (no {@code rope_scaling}): {@code inv[j] = theta^(-2j/d)}, computed in
 *       float exactly as llama2.c does;
 *   <li>{@code linear}: {@code inv[j] / factor} (positions divided by the factor);
 *   <li>{@code dynamic} (NTK-aware): when the sequence length {@code L} exceeds {@code
 *       original_max_position_embeddings} {@code M}, the base becomes {@code theta * (factor * L /
 *       M - (factor - 1))^(d / (d - 2))}. The engine uses, per sequence, {@code L} = the length it
 *       can reach (prompt + max new tokens), fixed for the whole sequence, so cached keys and new
 *       queries always share one set of frequencies and the result does not depend on batching (HF
 *       recomputes the base as the batch grows and keeps keys cached under the old one);
 *   <li>{@code llama3}: wavelengths {@code 2 pi / inv} above {@code M / low_freq_factor} are
 *       divided by {@code factor}, below {@code M / high_freq_factor} kept, and in between
 *       interpolated with {@code s = (M / wavelen - low) / (high - low)}: {@code (1 - s) * inv /
 *       factor + s * inv}.
 * </ul>
 *
 * @param type {@code default}, {@code linear}, {@code dynamic} or {@code llama3}
 * @param originalMaxPositions {@code M}: {@code original_max_position_embeddings}, for dynamic
 *     falling back to {@code max_position_embeddings}
 */
public record RopeScaling(
    String type,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositions) {
  public static final RopeScaling NONE = new RopeScaling("default", 1, 0, 0, 0);

  /** Whether the frequencies depend on the sequence length. */
  public boolean dependsOnLength() {
    return type.equals("dynamic");
  }

  /**
   * Inverse frequencies of the {@code headDim / 2} rotary pairs.
   *
   * @param seqLen the sequence's length (only {@code dynamic} uses it)
   */
  public float[] invFreq(int headDim, double theta, int seqLen) {
    int half = headDim / 2;
    float[] inv = new float[half];
    if (type.equals("default")) {
      for (int j = 0; j < half; j++) {
        inv[j] = 1.0f / (float) Math.pow((float) theta, (2 * j) / (float) headDim);
      }
      return inv;
    }
    double base = theta;
    if (type.equals("dynamic") && seqLen > originalMaxPositions) {
      double ratio = factor * seqLen / originalMaxPositions - (factor - 1);
      base = theta * Math.pow(ratio, headDim / (headDim - 2.0));
    }
    for (int j = 0; j < half; j++) {
      double f = 1.0 / Math.pow(base, (2.0 * j) / headDim);
      inv[j] = (float) scaled(f);
    }
    return inv;
  }

  private double scaled(double f) {
    switch (type) {
      case "linear":
        return f / factor;
      case "llama3":
        double wavelen = 2 * Math.PI / f;
        double lowWavelen = originalMaxPositions / lowFreqFactor;
        double highWavelen = originalMaxPositions / highFreqFactor;
        if (wavelen > lowWavelen) {
          return f / factor;
        }
        if (wavelen < highWavelen) {
          return f;
        }
        double s =
            (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - s) * f / factor + s * f;
      default:
        return f;
    }
  }
}
