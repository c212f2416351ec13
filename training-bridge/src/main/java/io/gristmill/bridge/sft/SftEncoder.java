package io.gristmill.bridge.sft;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.gristmill.bridge.ExportReason;
import io.gristmill.core.Errors;
import io.gristmill.core.record.Message;
import io.gristmill.rollout.ChatTemplate;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokenizes conversations for SFT: the model's chat template (rendered by rollout's {@link
 * ChatTemplate}, the one Jinja renderer) splits each conversation into context and assistant pieces
 * ({@link AssistantSpans}); each piece is tokenized with the model's {@code tokenizer.json} (DJL,
 * offline, no truncation, no padding, no added special tokens: the template writes them) and the
 * ids concatenated, with loss mask 1 exactly on the assistant pieces' tokens. Each piece's tokens
 * must decode back to the piece, so decoding a row gives back exactly the rendering. Encoders are
 * cached per JVM and files, and never serialized.
 */
public final class SftEncoder {
  private static final Map<TokenizerFiles, SftEncoder> CACHE = new ConcurrentHashMap<>();
  private final TokenizerFiles files;
  private final HuggingFaceTokenizer tokenizer;
  private final ChatTemplate template;

  private SftEncoder(TokenizerFiles files, HuggingFaceTokenizer tokenizer) {
    this.files = files;
    this.tokenizer = tokenizer;
    this.template = ChatTemplate.of(files.template(), files.bos(), files.eos(), files.sep());
  }

  /** The JVM's shared encoder for {@code files} (the tokenizer is loaded on first use). */
  public static SftEncoder forFiles(TokenizerFiles files) {
    return CACHE.computeIfAbsent(files, SftEncoder::load);
  }

  private static SftEncoder load(TokenizerFiles f) {
    try {
      // Truncation and padding off explicitly: DJL's defaults cut every text at 512 tokens.
      HuggingFaceTokenizer t =
          HuggingFaceTokenizer.newInstance(
              Paths.get(f.tokenizerJson()),
              Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
      return new SftEncoder(f, t);
    } catch (IOException | RuntimeException e) {
      throw Errors.resourceFailed("tokenizer", f.tokenizerJson(), e);
    }
  }

  public TokenizerFiles files() {
    return files;
  }

  /** What encoding one conversation gave: tokens, or why it cannot be trained on. */
  public sealed interface Result permits Encoded, Failed {}

  /**
   * @param ids the tokens of the whole rendering
   * @param mask 1 on assistant tokens, else 0; same length as {@code ids}
   * @param unknown how many of {@code ids} are the unknown token
   */
  public record Encoded(int[] ids, byte[] mask, int unknown) implements Result {
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
      int[] kept = Arrays.copyOf(ids, max);
      return new Encoded(kept, Arrays.copyOf(mask, max), unknown);
    }
  }

  /** A conversation that cannot be encoded, with the reason code and a detail for the user. */
  public record Failed(ExportReason reason, String detail) implements Result {}

  /** The template's rendering of the whole conversation. */
  public String render(List<Message> messages) {
    return template.render(messages, false);
  }

  /** The text of {@code ids}, special tokens included. */
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tokenizer.decode(l, false);
  }

  /**
   * Tokens and unknown tokens of the whole rendering (for the unknown-token check; counts also
   * conversations that {@link #encode} rejects), or null when the template fails on it.
   */
  public long[] tokenCount(List<Message> messages) {
    String full;
    try {
      full = template.render(messages, false);
    } catch (RuntimeException e) {
      return null;
    }
    long[] ids = tokenizer.encode(full, false, false).getIds();
    long unknown = 0;
    for (long id : ids) {
      if (id == files.unknownId()) {
        unknown++;
      }
    }
    return new long[] {ids.length, unknown};
  }

  public Result encode(List<Message> messages) {
    List<AssistantSpans.Piece> pieces;
    try {
      pieces = AssistantSpans.split(messages, template::render);
    } catch (AssistantSpans.NotPrefixStable e) {
      return new Failed(ExportReason.TEMPLATE_NOT_PREFIX_STABLE, e.getMessage());
    } catch (RuntimeException e) {
      return new Failed(ExportReason.CHAT_TEMPLATE_FAILED, String.valueOf(e.getMessage()));
    }
    List<long[]> parts = new ArrayList<>(pieces.size());
    int total = 0;
    for (int p = 0; p < pieces.size(); p++) {
      String text = pieces.get(p).text();
      long[] ids = tokenizer.encode(text, false, false).getIds();
      String back = tokenizer.decode(ids, false);
      if (!back.equals(text)) {
        return new Failed(
            ExportReason.TOKENIZER_ROUND_TRIP,
            "piece "
                + (p + 1)
                + " of the rendering decodes to different text: "
                + excerpt(text)
                + " -> "
                + excerpt(back));
      }
      parts.add(ids);
      total += ids.length;
    }
    int[] ids = new int[total];
    byte[] mask = new byte[total];
    int k = 0;
    int unknown = 0;
    for (int p = 0; p < parts.size(); p++) {
      byte m = (byte) (pieces.get(p).trained() ? 1 : 0);
      for (long id : parts.get(p)) {
        ids[k] = Math.toIntExact(id);
        if (ids[k] == files.unknownId()) {
          unknown++;
        }
        mask[k++] = m;
      }
    }
    return new Encoded(ids, mask, unknown);
  }

  private static String excerpt(String s) {
    String e = s.length() > 60 ? s.substring(0, 60) + "..." : s;
    return "'" + e.replace("\n", "\\n") + "'";
  }
}
