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
    if (text == null || text.isEmpty()) {
      return "";
    }
    String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
    // Upper then lower approximates Unicode full case folding (e.g. "ß" -> "ss", "ﬁ" -> "fi").
    String folded = nfkc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return WHITESPACE.matcher(folded).replaceAll(" ").trim();
  }
}
