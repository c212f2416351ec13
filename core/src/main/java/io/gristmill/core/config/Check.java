package io.gristmill.core.config;

import io.gristmill.core.Errors;
import java.util.Collection;
import java.util.List;

/**
 * Value checks for config records, called from their compact constructors. A failed check throws
 * {@link Errors.InvalidValue} naming the key relative to the record; {@link ConfigLoader} adds the
 * file name and the full key path.
 */
public final class Check {
  private Check() {}

  public static <T> T required(String key, T value) {
    if (value == null) {
      throw Errors.missingValue(key);
    }
    return value;
  }

  public static String requiredText(String key, String value) {
    if (value == null) {
      throw Errors.missingValue(key);
    }
    if (value.isBlank()) {
      throw Errors.invalidValue(key, value, "a non-empty string");
    }
    return value;
  }

  public static <T> T orDefault(T value, T fallback) {
    return value == null ? fallback : value;
  }

  public static <T> List<T> listOrEmpty(List<T> value) {
    return value == null ? List.of() : List.copyOf(value);
  }

  public static int intInRange(String key, Integer value, int fallback, int min, int max) {
    int v = value == null ? fallback : value;
    if (v < min || v > max) {
      throw Errors.invalidValue(key, v, "an integer in [" + min + ", " + max + "]");
    }
    return v;
  }

  public static long longInRange(String key, Long value, long fallback, long min, long max) {
    long v = value == null ? fallback : value;
    if (v < min || v > max) {
      throw Errors.invalidValue(key, v, "an integer in [" + min + ", " + max + "]");
    }
    return v;
  }

  public static double doubleInRange(
      String key, Double value, double fallback, double min, double max) {
    double v = value == null ? fallback : value;
    if (!(v >= min && v <= max)) {
      throw Errors.invalidValue(key, v, "a number in [" + min + ", " + max + "]");
    }
    return v;
  }

  public static String oneOf(
      String key, String value, String fallback, Collection<String> allowed) {
    String v = value == null ? fallback : value;
    if (!allowed.contains(v)) {
      throw Errors.invalidValue(key, v, "one of " + String.join(", ", allowed));
    }
    return v;
  }
}
