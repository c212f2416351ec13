package io.gristmill.scoring.value;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * A table of prompts for the value model (YAML {@code train}, {@code evaluate}, {@code pool}).
 *
 * @param path file, folder or glob. A snapshot (dataset folder ROOT/DATASET, whose LATEST snapshot
 *     is read, or a snapshot folder) is read by its kind whatever {@code format} says: a score
 *     snapshot through its {@code difficulty/} table (train, evaluate), a curate snapshot as
 *     conversations (a select pool)
 * @param format {@code jsonl}, {@code parquet}, {@code score_snapshot} (the {@code difficulty/}
 *     table: prompt_id, prompt, data_source, samples, correct, pass_rate), {@code conversations}
 *     (CONVERSATION rows: id, first user turn as the text) or {@code gsm8k_example_solutions} (pass
 *     rate = share of the 4 labelled solutions that are correct)
 * @param textColumn the prompt text column (default {@code prompt})
 * @param labelExpr a Spark SQL expression for the label, e.g. {@code pass_rate} (default) or {@code
 *     cast(substring(level, 7) as double)}; not needed for a selection pool
 * @param idColumn the prompt id column (default {@code prompt_id}; conversations use {@code id};
 *     when absent, the stable hash of the text)
 * @param metadataColumns categorical columns used as features (e.g. {@code [data_source, type]})
 */
public record PromptTable(
    String path,
    String format,
    String textColumn,
    String labelExpr,
    String idColumn,
    List<String> metadataColumns)
    implements Serializable {
  public static final List<String> FORMATS =
      List.of("jsonl", "parquet", "score_snapshot", "conversations", "gsm8k_example_solutions");

  public PromptTable {
    path = Check.requiredText("path", path);
    format = Check.oneOf("format", format, "jsonl", FORMATS);
    textColumn = Check.orDefault(textColumn, "prompt");
    labelExpr = Check.orDefault(labelExpr, "pass_rate");
    idColumn = Check.orDefault(idColumn, "prompt_id");
    metadataColumns = Check.listOrEmpty(metadataColumns);
  }
}
