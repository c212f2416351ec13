package io.gristmill.core.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The normalization every hash and n-gram in Gristmill is computed on: Unicode NFKC, case folded,
 * runs of whitespace (including Unicode spaces) collapsed to one space, trimmed.
 */
public final class TextNormalizer {
  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}\\u200B\\uFEFF]+");

  private TextNormalizer() {}

  public static String normalize(String text) {
    return WHITESPACE.matcher(fold(text)).replaceAll(" ").trim();
  }

  /**
   * NFKC and case folding without the whitespace step: for callers that split the text into words
   * anyway (whitespace only separates words, however long its runs), so skip the regex.
   */
  public static String fold(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
    // Upper then lower approximates Unicode full case folding (e.g. "ß" -> "ss", "ﬁ" -> "fi").
    return nfkc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
  }
}
