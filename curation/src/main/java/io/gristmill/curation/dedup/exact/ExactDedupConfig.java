package io.gristmill.curation.dedup.exact;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;

/**
 * Exact deduplication settings (YAML section {@code exact_dedup}).
 *
 * @param conversationLevel drop conversations whose whole normalized text equals an earlier one's,
 *     across sources (YAML {@code conversation_level}, default true)
 * @param promptLevel then drop conversations whose normalized first user turn equals an earlier
 *     one's (YAML {@code prompt_level}, default true)
 * @param sourcePriority which copy is kept: the first listed source wins, unlisted sources come
 *     after all listed ones, ties go to the smaller id (YAML {@code source_priority}, default
 *     empty: smallest id wins); names must be distinct
 */
public record ExactDedupConfig(
    Boolean conversationLevel, Boolean promptLevel, List<String> sourcePriority)
    implements Serializable {
  public ExactDedupConfig {
    conversationLevel = Check.orDefault(conversationLevel, true);
    promptLevel = Check.orDefault(promptLevel, true);
    sourcePriority = Check.listOrEmpty(sourcePriority);
    if (new HashSet<>(sourcePriority).size() != sourcePriority.size()) {
      throw io.gristmill.core.Errors.invalidValue(
          "source_priority", sourcePriority, "a list of distinct source names");
    }
  }

  public static ExactDedupConfig defaults() {
    return new ExactDedupConfig(null, null, null);
  }
}
