package io.gristmill.bridge.sft;

import io.gristmill.core.config.Check;
import java.util.List;

/**
 * SFT tokenization settings ({@code sft:} in an export config).
 *
 * @param tokenizer path of a HuggingFace {@code tokenizer.json} readable on every executor
 * @param maxTokens the most tokens a sample may have
 * @param overLength what to do with longer samples: {@code truncate} (keep the first {@code
 *     max_tokens}) or {@code skip} (reject the sample)
 */
public record SftOptions(String tokenizer, Integer maxTokens, String overLength)
    implements java.io.Serializable {
  public static final List<String> POLICIES = List.of("truncate", "skip");

  public SftOptions {
    maxTokens = Check.intInRange("max_tokens", maxTokens, 4096, 1, 1 << 24);
    overLength = Check.oneOf("over_length", overLength, "truncate", POLICIES);
  }
}
