package io.gristmill.curation.annotate.judge;

import io.gristmill.core.Errors;
import io.gristmill.curation.annotate.AnnotationColumns;
import io.gristmill.curation.annotate.JudgeOutputParser;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One question the judge is asked: its template ({@code <key>.txt}), the column its answer fills,
 * how the answer is started and stopped, and how it is parsed. The JSON aspects are prefilled with
 * {@code {} and stopped at {@code }}, as Magpie's tagger does; the safety aspect answers in Llama
 * Guard's plain form ({@code safe}, or {@code unsafe} and a line of categories).
 */
public enum JudgeAspect {
  INPUT_QUALITY("input_quality", AnnotationColumns.INPUT_QUALITY, true),
  DIFFICULTY("difficulty", AnnotationColumns.DIFFICULTY, true),
  TASK_CATEGORY("task_category", AnnotationColumns.TASK_CATEGORY, true),
  SAFETY("safety", AnnotationColumns.SAFETY, false),
  JUDGE_SCORE("judge_score", AnnotationColumns.JUDGE_SCORE, true);

  /** The prefill of a JSON answer. */
  public static final String PREFILL = "{";

  /** Where a JSON answer stops (cut before it). */
  public static final String STOP = "}";

  /** The most new tokens of a safety answer ({@code unsafe} and a line of categories). */
  public static final int SAFETY_MAX_NEW_TOKENS = 24;

  private final String key;
  private final String column;
  private final boolean json;

  JudgeAspect(String key, String column, boolean json) {
    this.key = key;
    this.column = column;
    this.json = json;
  }

  /** The name in {@code judge.aspects} and of the template file. */
  public String key() {
    return key;
  }

  /** The annotation column the parsed label fills. */
  public String column() {
    return column;
  }

  /** Whether the answer is a JSON object prefilled with {@link #PREFILL}. */
  public boolean json() {
    return json;
  }

  public String prefill() {
    return json ? PREFILL : "";
  }

  public List<String> stopStrings() {
    return json ? List.of(STOP) : List.of();
  }

  public String templateFile() {
    return key + ".txt";
  }

  /**
   * The answer as the parser sees it: the prefill, the generated text, and the closing brace when
   * generation stopped on it (the engine cuts the text before a stop string).
   */
  public String answer(String generated, boolean stoppedAtBrace) {
    String g = generated == null ? "" : generated;
    return json ? PREFILL + g + (stoppedAtBrace ? STOP : "") : g;
  }

  /** Parses one answer; never throws. */
  public JudgeOutputParser.Parsed parse(String answer) {
    return switch (this) {
      case INPUT_QUALITY -> Parsers.INPUT_QUALITY.parse(answer);
      case DIFFICULTY -> Parsers.DIFFICULTY.parse(answer);
      case TASK_CATEGORY -> Parsers.TASK_CATEGORY.parse(answer);
      case SAFETY -> JudgeOutputParser.safety(answer);
      case JUDGE_SCORE -> Parsers.SCORE.parse(answer);
    };
  }

  /** The aspect named {@code key}; fails naming the known aspects. */
  public static JudgeAspect of(String key) {
    for (JudgeAspect a : values()) {
      if (a.key.equals(key)) {
        return a;
      }
    }
    throw Errors.invalidValue(
        "judge.aspects", key, "one of " + Arrays.stream(values()).map(a -> a.key).toList());
  }

  private static final class Parsers {
    static final JudgeOutputParser INPUT_QUALITY = JudgeOutputParser.inputQuality();
    static final JudgeOutputParser DIFFICULTY = JudgeOutputParser.difficulty();
    static final JudgeOutputParser TASK_CATEGORY = JudgeOutputParser.taskCategory();
    static final JudgeOutputParser SCORE =
        new JudgeOutputParser(
            "score",
            List.of("1", "2", "3", "4", "5"),
            Map.of("one", "1", "two", "2", "three", "3", "four", "4", "five", "5"));
  }
}
