package io.gristmill.bridge.sft;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.gristmill.core.Errors;
import io.gristmill.core.record.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokenizes conversations for SFT with a HuggingFace {@code tokenizer.json} (through DJL, offline)
 * and {@link ChatTemplate}: ids plus a loss mask that is 1 only on assistant tokens. Tokenizers are
 * loaded once per JVM and path ({@link #forPath}) and never serialized.
 */
public final class SftEncoder {
  private static final Map<String, SftEncoder> CACHE = new ConcurrentHashMap<>();
  private final HuggingFaceTokenizer tokenizer;

  private SftEncoder(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** The JVM's shared encoder for a {@code tokenizer.json} path (loaded on first use). */
  public static SftEncoder forPath(String tokenizerJson) {
    return CACHE.computeIfAbsent(tokenizerJson, SftEncoder::load);
  }

  private static SftEncoder load(String path) {
    Path p = Paths.get(path);
    try {
      return new SftEncoder(
          HuggingFaceTokenizer.newInstance(p, Map.of("addSpecialTokens", "false")));
    } catch (IOException | RuntimeException e) {
      throw Errors.resourceFailed("tokenizer", path, e);
    }
  }

  /** The encoding of one conversation: ids and a same-length 0/1 loss mask. */
  public record Encoded(int[] ids, byte[] mask) {
    public int trainable() {
      int n = 0;
      for (byte b : mask) {
        n += b;
      }
      return n;
    }

    /** The first {@code max} tokens. */
    public Encoded truncate(int max) {
      if (ids.length <= max) {
        return this;
      }
      return new Encoded(java.util.Arrays.copyOf(ids, max), java.util.Arrays.copyOf(mask, max));
    }
  }

  public Encoded encode(List<Message> messages) {
    List<ChatTemplate.Segment> segments = ChatTemplate.render(messages);
    long[][] parts = new long[segments.size()][];
    int total = 0;
    for (int i = 0; i < parts.length; i++) {
      parts[i] = tokenizer.encode(segments.get(i).text(), false, false).getIds();
      total += parts[i].length;
    }
    int[] ids = new int[total];
    byte[] mask = new byte[total];
    int k = 0;
    for (int i = 0; i < parts.length; i++) {
      byte m = (byte) (segments.get(i).trainable() ? 1 : 0);
      for (long id : parts[i]) {
        ids[k] = Math.toIntExact(id);
        mask[k++] = m;
      }
    }
    return new Encoded(ids, mask);
  }
}
