package io.gristmill.rollout;

/**
 * Text to token ids and back, for one model. Implementations: llama2.c {@code tokenizer.bin} BPE
 * with merge scores, HuggingFace {@code tokenizer.json}, and a character table.
 */
public interface TextTokenizer extends AutoCloseable {
  /**
   * Encodes {@code text}; prepends the model's BOS id when {@code addBos} and the model has one.
   * Special-token text (e.g. {@code <|im_start|>}) in {@code text} becomes its special id.
   */
  int[] encode(String text, boolean addBos);

  /**
   * Decodes {@code ids}, which follow {@code previousId} in the sequence (-1 at the start). Special
   * tokens (BOS, EOS, padding) are left out of the text.
   */
  String decode(int[] ids, int previousId);

  /** Number of ids this tokenizer can decode. */
  int vocabSize();

  @Override
  default void close() {}
}
