package io.gristmill.curation.annotate;

import java.util.List;

/**
 * The names of the annotation columns added to conversation rows by the {@code annotate} stage
 * (top-level columns, one value per conversation). Reports, {@code gristmill show} and mixing
 * recipes read these names; the judge, reward and imported columns may be null or absent.
 */
public final class AnnotationColumns {
  private AnnotationColumns() {}

  // Turn structure.
  public static final String TURNS_TOTAL = "turns_total";
  public static final String TURNS_USER = "turns_user";
  public static final String MULTI_TURN = "multi_turn";
  // Size per role.
  public static final String CHARS_USER = "chars_user";
  public static final String CHARS_ASSISTANT = "chars_assistant";

  /** Null when no tokenizer is configured. */
  public static final String TOKENS_USER = "tokens_user";

  /** Null when no tokenizer is configured. */
  public static final String TOKENS_ASSISTANT = "tokens_assistant";

  // Language.
  public static final String LANGUAGE = "language";
  public static final String LANGUAGE_CONFIDENCE = "language_confidence";
  // Content signals.
  public static final String HAS_CODE = "has_code";
  public static final String CODE_LANGUAGES = "code_languages";
  public static final String HAS_MATH = "has_math";
  public static final String REFUSAL = "refusal";
  public static final String DUP_LINE_FRAC = "dup_line_frac";
  public static final String DUP_NGRAM_FRAC = "dup_ngram_frac";
  public static final String SPECIAL_CHAR_RATIO = "special_char_ratio";
  public static final String INSTRUCTION_ENDS_COLON = "instruction_ends_colon";
  public static final String SHORT_RESPONSE = "short_response";
  // Task classifier.
  public static final String TASK_CATEGORY = "task_category";
  public static final String TASK_CATEGORY_CONFIDENCE = "task_category_confidence";
  // Judge, reward model or imported (may be null or absent).
  public static final String INPUT_QUALITY = "input_quality";
  public static final String DIFFICULTY = "difficulty";
  public static final String SAFETY = "safety";
  public static final String JUDGE_SCORE = "judge_score";
  public static final String REWARD = "reward";

  /**
   * Spark SQL for the first user turn's text of a conversation row (null when it has none; {@code
   * try_element_at}, since ANSI mode fails {@code element_at} on an empty array).
   */
  public static final String FIRST_USER_TURN_SQL =
      "try_element_at(filter(messages, m -> m.role = 'user'), 1).content";

  /** The heuristic columns, in the order the stage adds them. */
  public static final List<String> HEURISTIC =
      List.of(
          TURNS_TOTAL,
          TURNS_USER,
          MULTI_TURN,
          CHARS_USER,
          CHARS_ASSISTANT,
          TOKENS_USER,
          TOKENS_ASSISTANT,
          LANGUAGE,
          LANGUAGE_CONFIDENCE,
          HAS_CODE,
          CODE_LANGUAGES,
          HAS_MATH,
          REFUSAL,
          DUP_LINE_FRAC,
          DUP_NGRAM_FRAC,
          SPECIAL_CHAR_RATIO,
          INSTRUCTION_ENDS_COLON,
          SHORT_RESPONSE);

  /** The model-made columns (classifier, judge, reward). */
  public static final List<String> MODEL =
      List.of(
          TASK_CATEGORY,
          TASK_CATEGORY_CONFIDENCE,
          INPUT_QUALITY,
          DIFFICULTY,
          SAFETY,
          JUDGE_SCORE,
          REWARD);

  /** Every annotation column. */
  public static List<String> all() {
    java.util.List<String> l = new java.util.ArrayList<>(HEURISTIC);
    l.addAll(MODEL);
    return List.copyOf(l);
  }
}
