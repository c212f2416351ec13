package io.gristmill.curation.ingest;

import io.gristmill.core.config.Check;
import java.io.Serializable;

/**
 * A side file of questions for answer files that carry only a question id (Arena-Hard's {@code
 * model_answer/*.jsonl}). Each answer record's turns become assistant turns, interleaved with the
 * user turns of the question whose {@code key} field equals the answer's.
 *
 * @param path a JSON-lines file of questions (local, {@code hdfs://}, {@code s3a://}); it is read
 *     once per executor JVM and must fit in memory
 * @param key the id field present in both files (YAML {@code key}, default {@code question_id})
 * @param turns the question's turns field (YAML {@code turns}, default {@code turns}): strings or
 *     objects with {@code content}
 */
public record PromptLookupConfig(String path, String key, String turns) implements Serializable {
  public PromptLookupConfig {
    path = Check.requiredText("path", path);
    key = Check.orDefault(key, "question_id");
    turns = Check.orDefault(turns, "turns");
  }
}
