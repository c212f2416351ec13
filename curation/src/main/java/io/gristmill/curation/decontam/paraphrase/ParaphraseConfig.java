package io.gristmill.curation.decontam.paraphrase;

import io.gristmill.core.config.Check;
import java.io.Serializable;

/**
 * Paraphrase-aware decontamination settings (YAML {@code decontamination.paraphrase}); defaults are
 * justified in docs/decisions/paraphrase-decontamination.md.
 *
 * @param enabled run paraphrase matching ({@code enabled}, default true when the section is given)
 * @param topK candidate items kept per checked turn ({@code top_k}, default 5)
 * @param floor retrieval floor: the fraction of an item's idf-weighted terms found in the turn
 *     ({@code floor}, default 0.35)
 * @param maxDf terms in more than this fraction of benchmark items do not retrieve candidates (they
 *     still count in the score) ({@code max_df}, default 0.02)
 * @param minInfo the idf mass of the matched terms must reach this, so that short generic items
 *     ("Which of the following is true?") never match ({@code min_info}, default 14)
 * @param mathNumberRecall math: fraction of the item's distinct numbers the turn must state ({@code
 *     math_number_recall}, default 1.0)
 * @param mathAskedOverlap math: fraction of the item's question-sentence words found in the turn's
 *     question sentences ({@code math_asked_overlap}, default 0.3)
 * @param codeMinScore code with a matching signature (same parameter count): minimum score ({@code
 *     code_min_score}, default 0.5)
 * @param codeUnsignedMinScore code when the turn has no function definition: minimum score ({@code
 *     code_unsigned_min_score}, default 0.75)
 * @param choiceQuestionMin choice: minimum question score when the options are found ({@code
 *     choice_question_min}, default 0.5)
 * @param choiceMinOptions choice: options that must be found, in any order ({@code
 *     choice_min_options}, default 3)
 * @param choiceQuestionOnlyMin choice: minimum question score when the options are absent ({@code
 *     choice_question_only_min}, default 0.55)
 * @param textMinScore free text: minimum score ({@code text_min_score}, default 0.7)
 * @param minChars question-only choice and free text: minimum character-trigram containment ({@code
 *     min_chars}, default 0.5)
 * @param minCoverage question-only choice and free text: the item's terms must make up this
 *     idf-weighted fraction of the turn's ({@code min_coverage}, default 0.4)
 * @param mathMaxExtraNumbers math: numbers the turn may state beyond the item's ({@code
 *     math_max_extra_numbers}, default 1)
 * @param window a match found in a turn longer than {@code window} times the item's length (and
 *     {@code window_min_chars}) must also be found, scored and verified again, inside one window of
 *     that many characters (sentence-aligned, overlapping), so that item terms scattered over a
 *     long turn do not add up to a match ({@code window}, default 3; 0 turns windows off)
 * @param windowMinChars the smallest window, in characters ({@code window_min_chars}, default 600)
 * @param choiceQuestionOnlyMinTerms choice: a question matched without its options must have at
 *     least this many distinct terms, so that a question that is little more than a name ("Da
 *     Vinci's Mona Lisa is_____.") is not matched by any text about it ({@code
 *     choice_question_only_min_terms}, default 5)
 * @param embedding the optional sentence-encoder retrieval signal ({@code embedding}, see {@link
 *     EmbeddingConfig}); absent: off
 */
public record ParaphraseConfig(
    Boolean enabled,
    Integer topK,
    Double floor,
    Double maxDf,
    Double minInfo,
    Double mathNumberRecall,
    Double mathAskedOverlap,
    Double codeMinScore,
    Double codeUnsignedMinScore,
    Double choiceQuestionMin,
    Integer choiceMinOptions,
    Double choiceQuestionOnlyMin,
    Double textMinScore,
    Double minChars,
    Double minCoverage,
    Integer mathMaxExtraNumbers,
    Double window,
    Integer windowMinChars,
    Integer choiceQuestionOnlyMinTerms,
    EmbeddingConfig embedding)
    implements Serializable {
  public ParaphraseConfig {
    enabled = Check.orDefault(enabled, true);
    topK = Check.intInRange("paraphrase.top_k", topK, 5, 1, 100);
    floor = Check.doubleInRange("paraphrase.floor", floor, 0.35, 0.0, 1.0);
    maxDf = Check.doubleInRange("paraphrase.max_df", maxDf, 0.02, 0.0, 1.0);
    minInfo = Check.doubleInRange("paraphrase.min_info", minInfo, 14.0, 0.0, 1000.0);
    mathNumberRecall =
        Check.doubleInRange("paraphrase.math_number_recall", mathNumberRecall, 1.0, 0.0, 1.0);
    mathAskedOverlap =
        Check.doubleInRange("paraphrase.math_asked_overlap", mathAskedOverlap, 0.3, 0.0, 1.0);
    codeMinScore = Check.doubleInRange("paraphrase.code_min_score", codeMinScore, 0.5, 0.0, 1.0);
    codeUnsignedMinScore =
        Check.doubleInRange(
            "paraphrase.code_unsigned_min_score", codeUnsignedMinScore, 0.75, 0.0, 1.0);
    choiceQuestionMin =
        Check.doubleInRange("paraphrase.choice_question_min", choiceQuestionMin, 0.5, 0.0, 1.0);
    choiceMinOptions =
        Check.intInRange("paraphrase.choice_min_options", choiceMinOptions, 3, 1, 26);
    choiceQuestionOnlyMin =
        Check.doubleInRange(
            "paraphrase.choice_question_only_min", choiceQuestionOnlyMin, 0.55, 0.0, 1.0);
    textMinScore = Check.doubleInRange("paraphrase.text_min_score", textMinScore, 0.7, 0.0, 1.0);
    minChars = Check.doubleInRange("paraphrase.min_chars", minChars, 0.5, 0.0, 1.0);
    minCoverage = Check.doubleInRange("paraphrase.min_coverage", minCoverage, 0.4, 0.0, 1.0);
    mathMaxExtraNumbers =
        Check.intInRange("paraphrase.math_max_extra_numbers", mathMaxExtraNumbers, 1, 0, 1000);
    window = Check.doubleInRange("paraphrase.window", window, 3.0, 0.0, 1000.0);
    windowMinChars =
        Check.intInRange("paraphrase.window_min_chars", windowMinChars, 600, 1, 1_000_000);
    choiceQuestionOnlyMinTerms =
        Check.intInRange(
            "paraphrase.choice_question_only_min_terms", choiceQuestionOnlyMinTerms, 5, 0, 1000);
  }

  /** These settings with the embedding signal {@code e} (null: off). */
  public ParaphraseConfig withEmbedding(EmbeddingConfig e) {
    return new ParaphraseConfig(
        enabled,
        topK,
        floor,
        maxDf,
        minInfo,
        mathNumberRecall,
        mathAskedOverlap,
        codeMinScore,
        codeUnsignedMinScore,
        choiceQuestionMin,
        choiceMinOptions,
        choiceQuestionOnlyMin,
        textMinScore,
        minChars,
        minCoverage,
        mathMaxExtraNumbers,
        window,
        windowMinChars,
        choiceQuestionOnlyMinTerms,
        e);
  }

  /** Every setting at its default. */
  public static ParaphraseConfig defaults() {
    return new ParaphraseConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);
  }
}
