package io.gristmill.curation.decontam.paraphrase;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers a text states, as values, so that a rephrasing that writes them differently still
 * agrees: {@code twelve} = {@code 12}, {@code $3.50} = 3.5, {@code 80,000} = 80000, {@code half a
 * dozen} = 6, {@code 2 dozen} = 24, {@code 150%} = {@code 150 percent} = 150, {@code 3/4} = {@code
 * three quarters} = 0.75, {@code twice} = 2, {@code $1.2 million} = 1200000, {@code 5km} = 5,
 * {@code $5k} = 5000. Units are dropped (the value is compared, not the unit). Stateless.
 */
public final class NumberNormalizer {
  private static final Map<String, Integer> SMALL =
      Map.ofEntries(
          Map.entry("zero", 0),
          Map.entry("one", 1),
          Map.entry("two", 2),
          Map.entry("three", 3),
          Map.entry("four", 4),
          Map.entry("five", 5),
          Map.entry("six", 6),
          Map.entry("seven", 7),
          Map.entry("eight", 8),
          Map.entry("nine", 9),
          Map.entry("ten", 10),
          Map.entry("eleven", 11),
          Map.entry("twelve", 12),
          Map.entry("thirteen", 13),
          Map.entry("fourteen", 14),
          Map.entry("fifteen", 15),
          Map.entry("sixteen", 16),
          Map.entry("seventeen", 17),
          Map.entry("eighteen", 18),
          Map.entry("nineteen", 19),
          Map.entry("twenty", 20),
          Map.entry("thirty", 30),
          Map.entry("forty", 40),
          Map.entry("fifty", 50),
          Map.entry("sixty", 60),
          Map.entry("seventy", 70),
          Map.entry("eighty", 80),
          Map.entry("ninety", 90));
  private static final Map<String, Long> SCALE =
      Map.of(
          "hundred", 100L,
          "thousand", 1_000L,
          "million", 1_000_000L,
          "billion", 1_000_000_000L);

  /** Denominators written as words: "a third", "two fifths", "three quarters". */
  private static final Map<String, Integer> DENOM =
      Map.ofEntries(
          Map.entry("half", 2),
          Map.entry("halves", 2),
          Map.entry("third", 3),
          Map.entry("thirds", 3),
          Map.entry("quarter", 4),
          Map.entry("quarters", 4),
          Map.entry("fourth", 4),
          Map.entry("fourths", 4),
          Map.entry("fifth", 5),
          Map.entry("fifths", 5),
          Map.entry("sixth", 6),
          Map.entry("sixths", 6),
          Map.entry("eighth", 8),
          Map.entry("eighths", 8),
          Map.entry("tenth", 10),
          Map.entry("tenths", 10));

  private static final Map<String, Integer> TIMES =
      Map.of("twice", 2, "thrice", 3, "double", 2, "triple", 3, "quadruple", 4);

  /*
   * Tokens, read by hand (this runs on every checked turn; a regex was the largest cost): a
   * numeral (optional sign, thousands commas, decimals, a fraction a/b, a trailing %, an attached
   * unit or k/m suffix) or a word (ASCII letters, hyphenated parts). A numeral or word must not
   * follow a word character (a numeral not a '.' either), and a word must not be followed by one,
   * so number words inside identifiers ("below_zero", "x2") are not read.
   */

  /** A token found by {@link Scanner#next}: a numeral (num >= 0) or a word. */
  private static final class Scanner {
    final String text;
    final int n;

    /** Characters before this are not looked at (behind the region start, as after a scale). */
    int from;

    int pos;

    // The last token: a word [start, end), or a numeral [start, numEnd) with an optional
    // denominator [denStart, denEnd) and suffix [sufStart, end).
    int start;
    int end;
    boolean word;
    int numEnd;
    int denStart;
    int denEnd;
    int sufStart;

    Scanner(String text) {
      this.text = text;
      this.n = text.length();
    }

    static boolean isWordChar(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    static boolean isLetter(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private int digits(int p) {
      while (p < n && isDigit(text.charAt(p))) {
        p++;
      }
      return p;
    }

    /** Finds the next token at or after {@link #pos}; false at the end. */
    boolean next() {
      for (int p = pos; p < n; p++) {
        char c = text.charAt(p);
        char prev = p > from ? text.charAt(p - 1) : ' ';
        if (c == '-' || c == '.' || isDigit(c)) {
          if (isWordChar(prev) || prev == '.') {
            continue;
          }
          int e = numeral(p);
          if (e < 0) {
            continue;
          }
          start = p;
          numEnd = e;
          word = false;
          denStart = -1;
          denEnd = -1;
          if (e + 1 < n && text.charAt(e) == '/' && isDigit(text.charAt(e + 1))) {
            denStart = e + 1;
            denEnd = digits(e + 1);
            e = denEnd;
          }
          sufStart = e;
          if (e < n && text.charAt(e) == '%') {
            e++;
          } else {
            while (e < n && isLetter(text.charAt(e))) {
              e++;
            }
          }
          end = e;
          pos = e;
          return true;
        }
        if (isLetter(c)) {
          if (isWordChar(prev)) {
            continue;
          }
          // Letters, hyphenated parts; the longest end not followed by a word character.
          int best = -1;
          int q = p;
          while (true) {
            while (q < n && isLetter(text.charAt(q))) {
              q++;
            }
            if (q >= n || !isWordChar(text.charAt(q))) {
              best = q;
            }
            if (q + 1 < n && text.charAt(q) == '-' && isLetter(text.charAt(q + 1))) {
              q++;
            } else {
              break;
            }
          }
          if (best < 0) {
            continue;
          }
          start = p;
          end = best;
          word = true;
          pos = best;
          return true;
        }
      }
      pos = n;
      return false;
    }

    /** The end of a numeral starting at p ("-1,234.5", "12", ".5"), or -1. */
    private int numeral(int p) {
      int q = p;
      if (q < n && text.charAt(q) == '-') {
        q++;
      }
      if (q < n && isDigit(text.charAt(q))) {
        int d = digits(q);
        // Thousands groups: 1-3 digits, then ",ddd" at least once.
        if (d - q <= 3 && d < n && text.charAt(d) == ',') {
          int g = d;
          while (g + 3 < n
              && text.charAt(g) == ','
              && isDigit(text.charAt(g + 1))
              && isDigit(text.charAt(g + 2))
              && isDigit(text.charAt(g + 3))) {
            g += 4;
          }
          if (g > d) {
            d = g;
          }
        }
        if (d + 1 < n && text.charAt(d) == '.' && isDigit(text.charAt(d + 1))) {
          d = digits(d + 1);
        }
        return d;
      }
      if (q + 1 < n && text.charAt(q) == '.' && isDigit(text.charAt(q + 1))) {
        return digits(q + 1);
      }
      return -1;
    }
  }

  private NumberNormalizer() {}

  /** The values in order of appearance (a value written twice appears twice). */
  public static List<Double> numbers(String text) {
    return numbers(text, null);
  }

  /**
   * As {@link #numbers(String)}; each percentage's value as a fraction ({@code 75%} gives 0.75) is
   * added to {@code percentFractions} when not null, so that "75%" can agree with "three quarters".
   */
  public static List<Double> numbers(String text, List<Double> percentFractions) {
    List<Double> out = new ArrayList<>();
    List<String> words = new ArrayList<>();
    Scanner m = new Scanner(text);
    Scanner next = new Scanner(text);
    while (m.next()) {
      if (m.word) {
        int a = m.start;
        for (int i = m.start; i <= m.end; i++) {
          if (i == m.end || text.charAt(i) == '-') {
            words.add(word(text, a, i));
            a = i + 1;
          }
        }
        continue;
      }
      flushWords(words, out);
      String num = text.substring(m.start, m.numEnd);
      double v = Double.parseDouble(num.indexOf(',') >= 0 ? num.replace(",", "") : num);
      if (m.denStart >= 0) {
        double d = Double.parseDouble(text.substring(m.denStart, m.denEnd));
        if (d != 0) {
          v = v / d;
        }
      }
      String suf = text.substring(m.sufStart, m.end).toLowerCase(Locale.ROOT);
      if (suf.equals("k")) {
        v *= 1_000;
      } else if (suf.equals("m") && isMoney(text, m.start)) {
        v *= 1_000_000;
      } else if (suf.equals("bn")) {
        v *= 1_000_000_000;
      } else if (suf.equals("%") && percentFractions != null) {
        percentFractions.add(v / 100);
      }
      out.add(v);
      // A scale word right after a numeral multiplies it: "$1.2 million", "3 dozen".
      next.from = 0;
      next.pos = m.end;
      if (suf.isEmpty() && next.next() && next.word) {
        String w = text.substring(next.start, next.end).toLowerCase(Locale.ROOT);
        Long scale = SCALE.get(w);
        if (scale != null || w.equals("dozen")) {
          out.set(out.size() - 1, v * (w.equals("dozen") ? 12 : scale));
          m.from = next.end;
          m.pos = next.end;
        } else if (w.equals("percent")) {
          if (percentFractions != null) {
            percentFractions.add(v / 100);
          }
          m.from = next.end;
          m.pos = next.end;
        }
      }
    }
    flushWords(words, out);
    return out;
  }

  /** The longest word {@link #flushWords} reads ("seventeen", "quadruple"). */
  private static final int LONGEST = 9;

  /** A word part, lower case; longer words than any number word are all the same non-number. */
  private static String word(String text, int a, int b) {
    return b - a > LONGEST ? "" : text.substring(a, b).toLowerCase(Locale.ROOT);
  }

  private static boolean isMoney(String text, int at) {
    return at > 0 && "$€£".indexOf(text.charAt(at - 1)) >= 0;
  }

  /** Whether {@code w} (lower case) is a number word this class reads. */
  public static boolean isNumberWord(String w) {
    return SMALL.containsKey(w)
        || SCALE.containsKey(w)
        || DENOM.containsKey(w)
        || TIMES.containsKey(w)
        || w.equals("dozen")
        || w.equals("percent");
  }

  /** Parses runs of number words ("two hundred fifty", "half a dozen", "three quarters"). */
  private static void flushWords(List<String> words, List<Double> out) {
    int i = 0;
    int n = words.size();
    while (i < n) {
      String w = words.get(i);
      // "half a dozen", "a dozen", "dozens" is vague and skipped.
      if (w.equals("half")
          && i + 2 < n
          && words.get(i + 1).equals("a")
          && words.get(i + 2).equals("dozen")) {
        out.add(6.0);
        i += 3;
        continue;
      }
      if (w.equals("a") && i + 1 < n && words.get(i + 1).equals("dozen")) {
        out.add(12.0);
        i += 2;
        continue;
      }
      if (TIMES.containsKey(w)) {
        out.add((double) TIMES.get(w));
        i++;
        continue;
      }
      if ((w.equals("a") || w.equals("one"))
          && i + 1 < n
          && DENOM.containsKey(words.get(i + 1))
          && !words.get(i + 1).endsWith("s")) {
        out.add(1.0 / DENOM.get(words.get(i + 1)));
        i += 2;
        continue;
      }
      if (w.equals("half")) {
        out.add(0.5);
        i++;
        continue;
      }
      if (SMALL.containsKey(w)) {
        long total = 0;
        long current = 0;
        int j = i;
        while (j < n) {
          String x = words.get(j);
          if (SMALL.containsKey(x)) {
            current += SMALL.get(x);
          } else if (x.equals("hundred")) {
            current = Math.max(current, 1) * 100;
          } else if (SCALE.containsKey(x)) {
            total += Math.max(current, 1) * SCALE.get(x);
            current = 0;
          } else if (!(x.equals("and") && j + 1 < n && SMALL.containsKey(words.get(j + 1)))) {
            break;
          }
          j++;
        }
        double value = total + current;
        if (j < n && DENOM.containsKey(words.get(j)) && value > 0 && value < 20) {
          value = value / DENOM.get(words.get(j));
          j++;
        } else if (j < n && words.get(j).equals("dozen")) {
          value *= 12;
          j++;
        } else if (j < n && words.get(j).equals("percent")) {
          j++;
        }
        out.add(value);
        i = j;
        continue;
      }
      i++;
    }
    words.clear();
  }
}
