package io.gristmill.bridge.export;

import io.gristmill.bridge.sft.SftOptions;
import io.gristmill.bridge.shard.ShardWriteOptions;
import io.gristmill.core.config.Check;

/**
 * The export config ({@code conf/export*.yaml}), bound by {@code ConfigLoader}. Every section is
 * optional; {@code sft.tokenizer} is required only for {@code shards-sft}.
 *
 * <pre>
 * shards: {target_rows, target_bytes, num_shards, batch_rows, seed, compression: none|lz4|zstd}
 * sft:    {tokenizer, max_tokens, over_length: truncate|skip}
 * verl:   {split, default_ability}
 * hf:     {split}
 * </pre>
 */
public record ExportConfig(
    ShardWriteOptions shards, SftOptions sft, VerlOptions verl, HfOptions hf) {
  public ExportConfig {
    shards = Check.orDefault(shards, ShardWriteOptions.defaults());
    sft = Check.orDefault(sft, new SftOptions(null, null, null));
    verl = Check.orDefault(verl, new VerlOptions(null, null));
    hf = Check.orDefault(hf, new HfOptions(null));
  }

  public static ExportConfig defaults() {
    return new ExportConfig(null, null, null, null);
  }

  /**
   * @param split the {@code extra_info.split} value and the file name ({@code SPLIT.parquet})
   * @param defaultAbility {@code ability} for rows whose metadata and source name none
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
