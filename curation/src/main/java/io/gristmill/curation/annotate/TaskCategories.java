package io.gristmill.curation.annotate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Magpie's 12 task categories, and the lookup of a label written in another case or form. */
public final class TaskCategories {
  private TaskCategories() {}

  public static final List<String> LABELS =
      List.of(
          "Information seeking",
          "Reasoning",
          "Planning",
          "Editing",
          "Coding & Debugging",
          "Math",
          "Role playing",
          "Data analysis",
          "Creative writing",
          "Advice seeking",
          "Brainstorming",
          "Others");

  /** Forms judges write instead of the canonical label. */
  private static final Map<String, String> SYNONYMS =
      Map.of(
          "coding", "Coding & Debugging",
          "debugging", "Coding & Debugging",
          "roleplay", "Role playing",
          "role-play", "Role playing",
          "mathematics", "Math",
          "other", "Others",
          "advice", "Advice seeking",
          "creative", "Creative writing");

  private static final Map<String, String> BY_KEY = new TreeMap<>();

  static {
    for (String l : LABELS) {
      BY_KEY.put(key(l), l);
    }
    SYNONYMS.forEach((k, v) -> BY_KEY.put(key(k), v));
  }

  /** Other words for the labels (matched ignoring case, spacing and punctuation). */
  public static Map<String, String> synonyms() {
    return SYNONYMS;
  }

  static String key(String s) {
    return s.toLowerCase(Locale.ROOT).replace("&", "and").replaceAll("[^a-z]", "");
  }

  /** The canonical label of {@code s} (any case, spacing, {@code and} for {@code &}), if any. */
  public static Optional<String> canonical(String s) {
    if (s == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_KEY.get(key(s)));
  }
}
