package io.gristmill.curation.decontam.paraphrase;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /**
   * Tokens: a numeral (optional sign, thousands commas, decimals, a fraction a/b, a trailing %, an
   * attached unit or k/m suffix) or a word.
   */
  private static final Pattern TOKEN =
      Pattern.compile(
          "(?<num>(?<![\\w.])-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|(?<![\\w.])-?\\d+(?:\\.\\d+)?"
              + "|(?<![\\w.])-?\\.\\d+)(?:/(?<den>\\d+))?(?<suf>%|[a-zA-Z]+)?"
              + "|(?<![\\w])(?<word>[a-zA-Z]+(?:-[a-zA-Z]+)*)(?![\\w])");

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
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      if (m.group("word") != null) {
        for (String w : m.group("word").toLowerCase(Locale.ROOT).split("-")) {
          words.add(w);
        }
        continue;
      }
      flushWords(words, out);
      double v = Double.parseDouble(m.group("num").replace(",", ""));
      if (m.group("den") != null) {
        double d = Double.parseDouble(m.group("den"));
        if (d != 0) {
          v = v / d;
        }
      }
      String suf = m.group("suf") == null ? "" : m.group("suf").toLowerCase(Locale.ROOT);
      if (suf.equals("k")) {
        v *= 1_000;
      } else if (suf.equals("m") && isMoney(text, m.start())) {
        v *= 1_000_000;
      } else if (suf.equals("bn")) {
        v *= 1_000_000_000;
      } else if (suf.equals("%") && percentFractions != null) {
        percentFractions.add(v / 100);
      }
      out.add(v);
      // A scale word right after a numeral multiplies it: "$1.2 million", "3 dozen".
      int after = m.end();
      Matcher next = TOKEN.matcher(text);
      if (suf.isEmpty() && next.find(after) && next.group("word") != null) {
        String w = next.group("word").toLowerCase(Locale.ROOT);
        Long scale = SCALE.get(w);
        if (scale != null || w.equals("dozen")) {
          out.set(out.size() - 1, v * (w.equals("dozen") ? 12 : scale));
          m.region(next.end(), text.length());
        } else if (w.equals("percent")) {
          if (percentFractions != null) {
            percentFractions.add(v / 100);
          }
          m.region(next.end(), text.length());
        }
      }
    }
    flushWords(words, out);
    return out;
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
