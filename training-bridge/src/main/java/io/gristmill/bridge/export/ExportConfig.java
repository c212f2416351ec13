package io.gristmill.bridge.export;

import io.gristmill.bridge.sft.SftOptions;
import io.gristmill.bridge.shard.ShardWriteOptions;
import io.gristmill.core.config.Check;

/**
 * The export config ({@code conf/export*.yaml}), bound by {@code ConfigLoader}. Every section is
 * optional; {@code sft.tokenizer} is required for {@code shards-sft} (there is no default).
 *
 * <pre>
 * shards: {target_rows, target_bytes, num_shards, batch_rows, seed, compression: none|lz4|zstd}
 * sft:    {tokenizer, tokenizer_config, chat_template: model|builtin, max_tokens,
 *          overlong: skip|truncate|fail, unknown_token_sample_rows, max_unknown_token_rate}
 * verl:   {split, default_ability}
 * hf:     {split}
 * </pre>
 */
public record ExportConfig(
    ShardWriteOptions shards, SftOptions sft, VerlOptions verl, HfOptions hf) {
  public ExportConfig {
    shards = Check.orDefault(shards, ShardWriteOptions.defaults());
    sft = Check.orDefault(sft, SftOptions.defaults());
    verl = Check.orDefault(verl, new VerlOptions(null, null));
    hf = Check.orDefault(hf, new HfOptions(null));
  }

  public static ExportConfig defaults() {
    return new ExportConfig(null, null, null, null);
  }

  /**
   * @param split the {@code extra_info.split} value and the file name ({@code SPLIT.parquet})
   * @param defaultAbility {@code ability} for rows whose metadata names none and whose {@code
   *     data_source} is not math-like
   */
  public record VerlOptions(String split, String defaultAbility) {
    public VerlOptions {
      split = Check.orDefault(split, "train");
      defaultAbility = Check.orDefault(defaultAbility, "general");
      Check.requiredText("split", split);
    }
  }

  /**
   * @param split the split named in the dataset card's {@code configs}
   */
  public record HfOptions(String split) {
    public HfOptions {
      split = Check.orDefault(split, "train");
      Check.requiredText("split", split);
    }
  }
}
