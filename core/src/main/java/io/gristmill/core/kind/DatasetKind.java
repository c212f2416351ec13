package io.gristmill.core.kind;

import io.gristmill.core.spark.SparkSchemas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The kinds of table Gristmill's commands exchange. Each kind declares, once, the columns the next
 * command relies on (its contract; a table may carry more) and the command that writes it. Every
 * snapshot's manifest records its kind and the kind's version; every command checks its input's
 * kind before Spark work starts (see {@link KindCheck}).
 */
public enum DatasetKind {
  /** Chat conversations: curate, refresh. */
  CONVERSATION(1, "gristmill curate", SparkSchemas.CONVERSATION),
  /**
   * Prompts with a reference answer and a {@code data_source} (GSM8K, MATH, ...): curate of
   * prompt-set formats. Same columns as a conversation, {@code ground_truth} filled.
   */
  PROMPT_SET(
      1, "gristmill curate (of gsm8k, math, math500, verl sources)", SparkSchemas.CONVERSATION),
  /** k samples per prompt with token ids and logprobs: rollout. */
  ROLLOUT(1, "gristmill rollout", KindSchemas.ROLLOUT),
  /** Rollouts with reward and advantage: score. */
  SCORED_ROLLOUT(1, "gristmill score", KindSchemas.SCORED_ROLLOUT),
  /** One row per prompt with its pass rate: the {@code difficulty/} output of score. */
  DIFFICULTY(1, "gristmill score (its difficulty/ output)", KindSchemas.DIFFICULTY),
  /** Prompts picked by predicted difficulty, with their answers: value-model select. */
  SELECTION(1, "gristmill value-model select", KindSchemas.SELECTION),
  /** A curated SFT mixture: mix. */
  MIXTURE(1, "gristmill mix", SparkSchemas.CONVERSATION);

  private static final Map<String, DatasetKind> BY_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(DatasetKind::id, Function.identity()));

  private final int version;
  private final String producedBy;
  private final StructType columns;

  DatasetKind(int version, String producedBy, StructType columns) {
    this.version = version;
    this.producedBy = producedBy;
    this.columns = columns;
  }

  /** The name in manifests, e.g. {@code scored_rollout}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public int version() {
    return version;
  }

  /** The command that writes this kind, for error messages. */
  public String producedBy() {
    return producedBy;
  }

  /** The contract columns. */
  public StructType columns() {
    return columns;
  }

  public static DatasetKind fromId(String id) {
    DatasetKind k = id == null ? null : BY_NAME.get(id);
    if (k == null) {
      throw new IllegalArgumentException("unknown dataset kind '" + id + "'");
    }
    return k;
  }

  /**
   * The contract columns {@code schema} lacks or holds with another type (nullability aside), as
   * "name (type)" strings; empty when the schema satisfies this kind.
   */
  public List<String> missingFrom(StructType schema) {
    List<String> missing = new ArrayList<>();
    for (StructField f : columns.fields()) {
      int i = Arrays.asList(schema.fieldNames()).indexOf(f.name());
      if (i < 0 || !sameType(schema.fields()[i].dataType(), f.dataType())) {
        missing.add(f.name() + " (" + f.dataType().simpleString() + ")");
      }
    }
    return missing;
  }

  private static boolean sameType(DataType a, DataType b) {
    // simpleString ignores nullability (array<int> either way); numeric widening is not allowed.
    return a.simpleString().equals(b.simpleString())
        || (a.equals(DataTypes.NullType) || b.equals(DataTypes.NullType));
  }
}
