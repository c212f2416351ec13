package io.gristmill.rollout;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.gristmill.core.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A HuggingFace {@code tokenizer.json} through DJL's tokenizers (native, offline). BOS is added by
 * this class, not by the tokenizer's post-processor, so that chat-rendered text (which carries its
 * own BOS text) is not given a second one.
 */
final class HfTextTokenizer implements TextTokenizer {
  private final HuggingFaceTokenizer tok;
  private final int bosId;
  private final int vocabSize;

  private HfTextTokenizer(HuggingFaceTokenizer tok, int bosId, int vocabSize) {
    this.tok = tok;
    this.bosId = bosId;
    this.vocabSize = vocabSize;
  }

  static HfTextTokenizer load(Path tokenizerJson, int bosId, int vocabSize) {
    try {
      HuggingFaceTokenizer t =
          HuggingFaceTokenizer.newInstance(
              tokenizerJson,
              Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
      return new HfTextTokenizer(t, bosId, vocabSize);
    } catch (IOException | RuntimeException e) {
      throw Errors.resourceFailed("tokenizer", tokenizerJson.toString(), e);
    }
  }

  @Override
  public int[] encode(String text, boolean addBos) {
    Encoding e = tok.encode(text, false, false);
    long[] ids = e.getIds();
    int off = addBos && bosId >= 0 ? 1 : 0;
    int[] out = new int[ids.length + off];
    if (off == 1) {
      out[0] = bosId;
    }
    for (int i = 0; i < ids.length; i++) {
      out[i + off] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids, int previousId) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tok.decode(l, true);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public void close() {
    tok.close();
  }
}
