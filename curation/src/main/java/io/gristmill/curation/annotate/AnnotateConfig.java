package io.gristmill.curation.annotate;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * Annotation settings (YAML section {@code annotate}).
 *
 * @param enabled run the stage (default true when the section is present)
 * @param languages ISO 639-1 codes Lingua chooses among (default: 20 common languages); a smaller
 *     set loads faster and detects faster
 * @param languageChars how much of the user text language detection reads (default 120 characters:
 *     on 6,000 first user turns of ../shared/data/sft_chat 5,991 got the label that 400 characters
 *     give, at about half the cost; Lingua's low-accuracy mode is reliable from about 120
 *     characters up)
 * @param languageLowAccuracy Lingua's low-accuracy mode (trigrams only; default true: several times
 *     faster, and user turns are usually long enough)
 * @param tokenizer a local {@code tokenizer.json}; without one {@code tokens_user} and {@code
 *     tokens_assistant} are null
 * @param shortResponseChars an assistant turn shorter than this (trimmed) marks {@code
 *     short_response} (default 10; an empty or missing response always does)
 * @param repetitionNgram n of the duplicate word n-gram fraction (default 5)
 * @param classifier a task-category model saved by {@code gristmill classifier train}; without one
 *     {@code task_category} is null unless imported
 * @param imported annotation columns computed elsewhere, joined in after the heuristics
 */
public record AnnotateConfig(
    Boolean enabled,
    List<String> languages,
    Integer languageChars,
    Boolean languageLowAccuracy,
    String tokenizer,
    Integer shortResponseChars,
    Integer repetitionNgram,
    String classifier,
    List<ImportedAnnotationsConfig> imported)
    implements Serializable {
  public static final List<String> DEFAULT_LANGUAGES =
      List.of(
          "en", "zh", "es", "fr", "de", "ru", "ja", "ko", "pt", "it", "ar", "hi", "nl", "pl", "tr",
          "vi", "id", "sv", "uk", "fa");

  public AnnotateConfig {
    enabled = Check.orDefault(enabled, true);
    languages =
        languages == null || languages.isEmpty() ? DEFAULT_LANGUAGES : List.copyOf(languages);
    LanguageDetection.codes(languages);
    languageChars = Check.intInRange("annotate.language_chars", languageChars, 120, 20, 100_000);
    languageLowAccuracy = Check.orDefault(languageLowAccuracy, true);
    shortResponseChars =
        Check.intInRange("annotate.short_response_chars", shortResponseChars, 10, 0, 100_000);
    repetitionNgram = Check.intInRange("annotate.repetition_ngram", repetitionNgram, 5, 1, 50);
    imported = Check.listOrEmpty(imported);
  }

  public static AnnotateConfig defaults() {
    return new AnnotateConfig(null, null, null, null, null, null, null, null, null);
  }
}
