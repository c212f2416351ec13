package io.gristmill.curation.decontam.paraphrase;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a text the verifiers compare: its terms, distinct numbers, the words of its question
 * sentences, and its Python function signatures. Built once per benchmark item (driver) and once
 * per checked turn (executor).
 */
public final class Profile implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern SENTENCE = Pattern.compile("[^.?!\\n]+[.?!]*");
  private static final Pattern DEF =
      Pattern.compile("def\\s+(\\w+)\\s*\\(([^)]*)\\)\\s*(?:->\\s*([^:\\n]+))?:");

  final String text;
  final Set<String> terms;
  final double[] numbers;

  /** Distinct numbers that are a percentage's fraction alternate (not counted as extra numbers). */
  final int alternates;

  // Computed when first asked for: most checked turns retrieve no candidate and never need them.
  private transient Set<String> asked;
  private transient List<Signature> signatures;
  private transient Set<String> trigrams;

  private Profile(String text, Set<String> terms, double[] numbers, int alternates) {
    this.text = text;
    this.alternates = alternates;
    this.terms = terms;
    this.numbers = numbers;
  }

  /** The profile of one text. */
  public static Profile of(String text) {
    List<Double> fractions = new ArrayList<>();
    List<Double> values = NumberNormalizer.numbers(text, fractions);
    Set<String> terms = Terms.termSet(text, values);
    int plain = distinct(values).length;
    values.addAll(fractions);
    double[] all = distinct(values);
    return new Profile(text, terms, all, all.length - plain);
  }

  /** Words of the sentences ending in '?', or of the last sentence when none does. */
  Set<String> asked() {
    if (asked == null) {
      asked = asked(text);
    }
    return asked;
  }

  /** The Python function signatures. */
  List<Signature> signatures() {
    if (signatures == null) {
      signatures = signatures(text);
    }
    return signatures;
  }

  /** Distinct character trigrams of the content words (see {@link Terms#trigrams}). */
  Set<String> trigrams() {
    if (trigrams == null) {
      trigrams = new HashSet<>(Terms.trigrams(Terms.words(text)));
    }
    return trigrams;
  }

  /** Distinct numbers, sorted. */
  static double[] distinct(List<Double> values) {
    return new TreeSet<>(values).stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Words of the sentences ending in '?', or of the last sentence when none does. */
  static Set<String> asked(String text) {
    List<String> sentences = new ArrayList<>();
    Matcher m = SENTENCE.matcher(text);
    while (m.find()) {
      if (!m.group().isBlank()) {
        sentences.add(m.group());
      }
    }
    Set<String> out = new LinkedHashSet<>();
    for (String s : sentences) {
      if (s.trim().endsWith("?")) {
        out.addAll(Terms.words(s));
      }
    }
    if (out.isEmpty() && !sentences.isEmpty()) {
      out.addAll(Terms.words(sentences.get(sentences.size() - 1)));
    }
    return out;
  }

  static List<Signature> signatures(String text) {
    if (!text.contains("def ")) {
      return List.of();
    }
    List<Signature> out = new ArrayList<>();
    Matcher m = DEF.matcher(text);
    while (m.find()) {
      List<String> types = new ArrayList<>();
      for (String p : splitTopLevel(m.group(2))) {
        String q = p.strip();
        if (q.isEmpty() || q.equals("self") || q.startsWith("*")) {
          continue;
        }
        int colon = q.indexOf(':');
        String type = colon < 0 ? "" : q.substring(colon + 1).split("=")[0].strip();
        types.add(type.replace(" ", ""));
      }
      String ret = m.group(3) == null ? "" : m.group(3).strip().replace(" ", "");
      out.add(new Signature(m.group(1), types, ret));
    }
    return out;
  }

  private static List<String> splitTopLevel(String params) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < params.length(); i++) {
      char c = params.charAt(i);
      if (c == '[' || c == '(' || c == '{') {
        depth++;
      } else if (c == ']' || c == ')' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(params.substring(start, i));
        start = i + 1;
      }
    }
    out.add(params.substring(start));
    return out;
  }

  /** How many of {@code of}'s distinct numbers occur among {@code in}'s (relative 1e-9). */
  static int numbersFound(double[] of, double[] in) {
    int found = 0;
    for (double v : of) {
      int i = Arrays.binarySearch(in, v);
      if (i >= 0) {
        found++;
        continue;
      }
      int at = -i - 1;
      double tol = 1e-9 * Math.max(1, Math.abs(v));
      if ((at < in.length && Math.abs(in[at] - v) <= tol)
          || (at > 0 && Math.abs(in[at - 1] - v) <= tol)) {
        found++;
      }
    }
    return found;
  }

  /** A Python function signature: name, parameter annotations (empty when absent), return type. */
  record Signature(String name, List<String> paramTypes, String returns) implements Serializable {}
}
