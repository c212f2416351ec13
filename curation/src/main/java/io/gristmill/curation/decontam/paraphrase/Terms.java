package io.gristmill.curation.decontam.paraphrase;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The representation that survives rewording: content words (lower case, stop words dropped,
 * identifiers split at {@code _} and camelCase, a light suffix-stripping stem cut to {@value
 * #STEM}), normalized numbers as {@code #value} terms, and character trigrams of the content words.
 * Stateless.
 */
public final class Terms {
  /** Stems are cut to this many characters (a cheap stand-in for char n-gram overlap). */
  public static final int STEM = 6;

  private static final Pattern WORD = Pattern.compile("[A-Z]{2,}(?![a-z])|[A-Za-z][a-z]*");
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

  private Terms() {}

  /** The content-word stems of {@code text}, in order, with repeats. */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      String w = m.group().toLowerCase(Locale.ROOT);
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

  /** Distinct content stems and {@code #number} terms of {@code text}. */
  public static Set<String> termSet(String text) {
    Set<String> out = new LinkedHashSet<>(words(text));
    for (double v : NumberNormalizer.numbers(text)) {
      out.add(numberTerm(v));
    }
    return out;
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
    for (String suf : new String[] {"ingly", "ing", "edly", "ed", "ly"}) {
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
