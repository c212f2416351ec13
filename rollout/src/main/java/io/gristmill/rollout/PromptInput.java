package io.gristmill.rollout;

/** One prompt to generate from: its stable id (seeds derive from it) and its token ids. */
public record PromptInput(String promptId, int[] tokenIds) {
  public PromptInput {
    if (tokenIds.length == 0) {
      throw new IllegalArgumentException(
          "Cannot generate for prompt '" + promptId + "': it has no tokens");
    }
  }
}
