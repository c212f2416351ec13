package io.gristmill.curation.annotate;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Language of a text with a confidence, by Lingua restricted to a configured set of languages
 * (loading all 75 models costs about a gigabyte of heap; a set of 20 loads in seconds). One
 * detector per JVM and language set. Text is cut to a prefix before detection.
 */
public final class LanguageDetection {
  /** The value for empty text or text no configured language matches. */
  public static final String UNKNOWN = "unknown";

  private static final Map<String, LanguageDetector> CACHE = new ConcurrentHashMap<>();

  private final LanguageDetector detector;
  private final int maxChars;

  /** What was detected: an ISO 639-1 code (or {@link #UNKNOWN}) and Lingua's confidence 0..1. */
  public record Result(String language, double confidence) {}

  private LanguageDetection(LanguageDetector detector, int maxChars) {
    this.detector = detector;
    this.maxChars = maxChars;
  }

  /** A detector for ISO 639-1 codes such as {@code en, de, zh}; unknown codes fail. */
  public static LanguageDetection of(List<String> isoCodes, boolean lowAccuracy, int maxChars) {
    String key = String.join(",", isoCodes) + "|" + lowAccuracy;
    LanguageDetector d =
        CACHE.computeIfAbsent(
            key,
            k -> {
              LanguageDetectorBuilder b =
                  LanguageDetectorBuilder.fromIsoCodes639_1(codes(isoCodes));
              if (lowAccuracy) {
                b = b.withLowAccuracyMode();
              }
              return b.build();
            });
    return new LanguageDetection(d, maxChars);
  }

  static IsoCode639_1[] codes(List<String> isoCodes) {
    List<IsoCode639_1> out = new ArrayList<>();
    for (String c : isoCodes) {
      try {
        out.add(IsoCode639_1.valueOf(c.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw io.gristmill.core.Errors.invalidValue(
            "annotate.languages", c, "an ISO 639-1 code Lingua knows (en, de, fr, zh, ...)");
      }
    }
    if (out.size() < 2) {
      throw io.gristmill.core.Errors.invalidValue(
          "annotate.languages", isoCodes, "at least two ISO 639-1 codes");
    }
    return out.toArray(IsoCode639_1[]::new);
  }

  public Result detect(String text) {
    if (text == null || text.isBlank()) {
      return new Result(UNKNOWN, 0.0);
    }
    String t = text.length() > maxChars ? text.substring(0, maxChars) : text;
    SortedMap<Language, Double> conf = detector.computeLanguageConfidenceValues(t);
    if (conf.isEmpty()) {
      return new Result(UNKNOWN, 0.0);
    }
    Language best = conf.firstKey();
    double c = conf.get(best);
    if (best == Language.UNKNOWN) {
      return new Result(UNKNOWN, 0.0);
    }
    return new Result(best.getIsoCode639_1().name().toLowerCase(Locale.ROOT), c);
  }
}
