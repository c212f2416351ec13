package io.gristmill.curation.decontam.paraphrase;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The representation that survives rewording: content words (lower case, stop words dropped,
 * identifiers split at {@code _} and camelCase, a light suffix-stripping stem cut to {@value
 * #STEM}), normalized numbers as {@code #value} terms, and character trigrams of the content words.
 * Stateless.
 */
public final class Terms {
  /** Stems are cut to this many characters (a cheap stand-in for char n-gram overlap). */
  public static final int STEM = 6;

  private static final Set<String> STOP =
      Set.of(
          ("a about above after again all also am an and any are as at be been before being below"
                  + " between both but by can could did do does doing done down during each few"
                  + " for from further had has have having he her here hers herself him himself his"
                  + " how i if in into is it its itself just me more most my myself no nor not now"
                  + " of off on once only or other our ours ourselves out over own same she should"
                  + " so some such than that the their theirs them themselves then there these they"
                  + " this those through to too under until up very was we were what when where"
                  + " which while who whom why will with would you your yours yourself yourselves"
                  + " let lets get gets got many much every per us may might must shall s t d ll re"
                  + " ve m o y")
              .split(" "));

  private static final String[] SUFFIXES = {"ingly", "ing", "edly", "ed", "ly"};

  private Terms() {}

  /** The content-word stems of {@code text}, in order, with repeats. */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int n = text.length();
    int p = 0;
    while (p < n) {
      // A run of 2+ capitals not followed by a lower-case letter ("HTML" in "HTMLParser"), else a
      // letter and the lower-case letters after it (read by hand: this runs on every turn).
      char c = text.charAt(p);
      if (!isLetter(c)) {
        p++;
        continue;
      }
      int e = p;
      while (e < n && isUpper(text.charAt(e))) {
        e++;
      }
      boolean wholeRun = e - p >= 2 && (e == n || !isLower(text.charAt(e)));
      if (!wholeRun && e - p >= 3) {
        e--; // the capitals but the last, which starts the next word
      } else if (!wholeRun) {
        e = p + 1;
        while (e < n && isLower(text.charAt(e))) {
          e++;
        }
      }
      String w = text.substring(p, e).toLowerCase(Locale.ROOT);
      p = e;
      if (w.length() < 2 || STOP.contains(w) || NumberNormalizer.isNumberWord(w)) {
        continue;
      }
      String s = stem(w);
      if (!s.isEmpty() && !STOP.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean isLetter(char c) {
    return isLower(c) || isUpper(c);
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  /** Distinct content stems and {@code #number} terms of {@code text}. */
  public static Set<String> termSet(String text) {
    return termSet(text, NumberNormalizer.numbers(text));
  }

  /** As {@link #termSet(String)} with the text's numbers already read. */
  static Set<String> termSet(String text, List<Double> numbers) {
    Set<String> out = new LinkedHashSet<>(words(text));
    subscripted(text, out);
    for (double v : numbers) {
      out.add(numberTerm(v));
    }
    return out;
  }

  /**
   * Subscripted symbols ("Z_11", "S_n", "x_2"): a single letter, '_', digits or one letter, not
   * inside a longer identifier. The words and numbers drop them, yet in algebra questions they
   * carry the content ("the factor group (Z_11 x Z_15)").
   */
  static void subscripted(String text, Set<String> out) {
    int n = text.length();
    for (int i = text.indexOf('_'); i > 0 && i + 1 < n; i = text.indexOf('_', i + 1)) {
      char l = text.charAt(i - 1);
      if (!isLetter(l) || (i >= 2 && isAlnum(text.charAt(i - 2)))) {
        continue;
      }
      int e = i + 1;
      if (Character.isDigit(text.charAt(e))) {
        while (e < n && Character.isDigit(text.charAt(e))) {
          e++;
        }
      } else if (isLetter(text.charAt(e))) {
        e++;
      } else {
        continue;
      }
      if (e < n && (isAlnum(text.charAt(e)) || text.charAt(e) == '_')) {
        continue;
      }
      out.add("$" + text.substring(i - 1, e));
    }
  }

  private static boolean isAlnum(char c) {
    return isLetter(c) || (c >= '0' && c <= '9');
  }

  /** The term a number value is represented by. */
  public static String numberTerm(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return "#" + (long) v;
    }
    return "#" + String.format(Locale.ROOT, "%.4g", v);
  }

  /** Distinct character trigrams of the content words joined by spaces. */
  public static Set<String> trigrams(List<String> words) {
    String s = " " + String.join(" ", words) + " ";
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i + 3 <= s.length(); i++) {
      out.add(s.substring(i, i + 3));
    }
    return out;
  }

  /** A light English suffix stripper, then a cut to {@link #STEM} characters. */
  static String stem(String w) {
    String s = w;
    if (s.endsWith("'s")) {
      s = s.substring(0, s.length() - 2);
    }
    if (s.length() > 3) {
      if (s.endsWith("ies")) {
        s = s.substring(0, s.length() - 3) + "y";
      } else if (s.endsWith("sses")) {
        s = s.substring(0, s.length() - 2);
      } else if (s.endsWith("s") && !s.endsWith("ss") && !s.endsWith("us")) {
        s = s.substring(0, s.length() - 1);
      }
    }
    for (String suf : SUFFIXES) {
      if (s.length() - suf.length() >= 3 && s.endsWith(suf)) {
        s = s.substring(0, s.length() - suf.length());
        break;
      }
    }
    if (s.endsWith("e") && s.length() > 3) {
      s = s.substring(0, s.length() - 1);
    }
    return s.length() > STEM ? s.substring(0, STEM) : s;
  }
}
