package io.gristmill.curation.annotate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts tokens of a text with a local {@code tokenizer.json} (DJL's HuggingFace tokenizers, the
 * library the rollout engine and the training bridge use); no special tokens are added. One
 * tokenizer per JVM and file.
 */
public final class RoleTokenCounter {
  private static final Map<String, HuggingFaceTokenizer> CACHE = new ConcurrentHashMap<>();
  private final HuggingFaceTokenizer tok;

  private RoleTokenCounter(HuggingFaceTokenizer tok) {
    this.tok = tok;
  }

  public static RoleTokenCounter load(String tokenizerJson) {
    System.setProperty("ai.djl.offline", "true");
    HuggingFaceTokenizer t =
        CACHE.computeIfAbsent(
            tokenizerJson,
            p -> {
              try {
                return HuggingFaceTokenizer.newInstance(
                    Path.of(p),
                    Map.of(
                        "addSpecialTokens", "false",
                        "truncation", "false",
                        "padding", "false"));
              } catch (IOException | RuntimeException e) {
                throw io.gristmill.core.Errors.resourceFailed("tokenizer", p, e);
              }
            });
    return new RoleTokenCounter(t);
  }

  public int count(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    return tok.encode(text, false, false).getIds().length;
  }
}
