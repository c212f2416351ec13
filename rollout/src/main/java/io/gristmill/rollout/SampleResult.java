package io.gristmill.rollout;

/**
 * One generated sample.
 *
 * @param seed the seed of this sample's random stream (see {@link SampleSeeds})
 * @param responseTokenIds generated ids, including the stop token when one ended the sample
 * @param responseLogprobs per generated id, log-probability under the sampling distribution before
 *     top-k/top-p (log softmax of logits / temperature; raw logits at temperature 0)
 * @param text the decoded response without special tokens, cut before a matched stop string
 * @param finishReason {@code stop} (stop token or string) or {@code length} (token limit)
 */
public record SampleResult(
    String promptId,
    int sampleIndex,
    long seed,
    int[] promptTokenIds,
    int[] responseTokenIds,
    float[] responseLogprobs,
    String text,
    String finishReason) {
  public static final String STOP = "stop";
  public static final String LENGTH = "length";

  public int promptTokens() {
    return promptTokenIds.length;
  }

  public int responseTokens() {
    return responseTokenIds.length;
  }
}
