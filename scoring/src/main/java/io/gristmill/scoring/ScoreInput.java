package io.gristmill.scoring;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * Where {@code gristmill score} reads rollouts (YAML {@code input}).
 *
 * @param path a file, folder or glob; a rollout snapshot (the dataset folder ROOT/DATASET of a
 *     rollout run, whose LATEST snapshot is read, a snapshot folder, or its {@code data/}) is read
 *     as such whatever {@code format} says, and needs no other file: its rows carry the ground
 *     truth, data_source, token ids and logprobs
 * @param format {@code jsonl} or {@code parquet} (imported rollouts: prompt_id, response or text,
 *     optional data_source, sample_index, prompt, ground_truth, response_token_ids,
 *     response_logprobs, finish_reason, step), {@code rollout_snapshot}, or {@code
 *     gsm8k_example_solutions} (GSM8K's example_model_solutions.jsonl: 4 labelled solutions per
 *     question)
 * @param dataSource the data_source of rows that carry none (default {@code default})
 * @param groundTruthPath optional JSONL or Parquet of {prompt_id, ground_truth[, prompt]}, or a
 *     curated dataset folder (id, ground_truth), joined to rows without a ground truth (imported
 *     rollouts, or rollouts of prompts that had none)
 */
public record ScoreInput(String path, String format, String dataSource, String groundTruthPath)
    implements Serializable {
  public static final List<String> FORMATS =
      List.of("jsonl", "parquet", "rollout_snapshot", "gsm8k_example_solutions");

  public ScoreInput {
    path = Check.requiredText("path", path);
    format = Check.oneOf("format", format, "jsonl", FORMATS);
    dataSource = Check.orDefault(dataSource, "default");
    if (dataSource.isBlank()) {
      throw io.gristmill.core.Errors.invalidValue("data_source", dataSource, "a non-empty name");
    }
  }
}
