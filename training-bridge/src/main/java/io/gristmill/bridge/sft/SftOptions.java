package io.gristmill.bridge.sft;

import io.gristmill.core.config.Check;
import java.util.List;

/**
 * SFT tokenization settings ({@code sft:} in an export config). There is no default tokenizer:
 * {@code shards-sft} refuses to start without one.
 *
 * @param tokenizer the model's HuggingFace {@code tokenizer.json}, or the model folder holding it
 *     and {@code tokenizer_config.json}; a local path readable on every executor. Required for
 *     {@code shards-sft}
 * @param tokenizerConfig the {@code tokenizer_config.json} with the chat template and special
 *     tokens; default: the one beside {@code tokenizer.json}
 * @param chatTemplate {@code model} (default: the {@code chat_template} of {@code
 *     tokenizer_config.json}) or {@code builtin} (Gristmill's {@code <|role|>...<|end|>} template,
 *     only when asked for explicitly)
 * @param maxTokens the most tokens a sample may have
 * @param overlong what to do with longer samples: {@code skip} (default: reject the row, reason
 *     {@code overlong}), {@code truncate} (keep the first {@code max_tokens}, counted in the
 *     manifest) or {@code fail} (stop the export)
 * @param unknownTokenSampleRows how many rows (the first by id) the unknown-token check encodes
 * @param maxUnknownTokenRate the export stops (exit 2) when more than this fraction of the sample's
 *     tokens are the tokenizer's unknown token
 */
public record SftOptions(
    String tokenizer,
    String tokenizerConfig,
    String chatTemplate,
    Integer maxTokens,
    String overlong,
    Integer unknownTokenSampleRows,
    Double maxUnknownTokenRate)
    implements java.io.Serializable {
  public static final List<String> POLICIES = List.of("skip", "truncate", "fail");
  public static final List<String> TEMPLATES = List.of("model", "builtin");

  public SftOptions {
    chatTemplate = Check.oneOf("chat_template", chatTemplate, "model", TEMPLATES);
    maxTokens = Check.intInRange("max_tokens", maxTokens, 4096, 1, 1 << 24);
    overlong = Check.oneOf("overlong", overlong, "skip", POLICIES);
    unknownTokenSampleRows =
        Check.intInRange("unknown_token_sample_rows", unknownTokenSampleRows, 1000, 1, 1_000_000);
    maxUnknownTokenRate =
        Check.doubleInRange("max_unknown_token_rate", maxUnknownTokenRate, 0.01, 0.0, 1.0);
    if (tokenizer != null) {
      Check.requiredText("tokenizer", tokenizer);
    }
  }

  /** No tokenizer (set one before {@code shards-sft}), every other key at its default. */
  public static SftOptions defaults() {
    return new SftOptions(null, null, null, null, null, null, null);
  }

  /** These options with {@code tokenizer} and the given policy (tests and callers in code). */
  public static SftOptions of(String tokenizer, int maxTokens, String overlong) {
    return new SftOptions(tokenizer, null, null, maxTokens, overlong, null, null);
  }
}
