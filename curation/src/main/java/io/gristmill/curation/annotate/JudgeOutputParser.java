package io.gristmill.curation.annotate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tolerant parser of one label from a judge model's answer, in three steps: strict JSON; then
 * repaired JSON (a missing prefilled {@code {}, prose around the object, single quotes, unquoted
 * keys, trailing commas, a truncated end closed); then the label found by pattern in the text. A
 * value is matched to a label ignoring case, spacing and punctuation, or through synonyms. Nothing
 * found, or two different labels, gives a null label with a reason; the parser never throws.
 */
public final class JudgeOutputParser implements Serializable {
  /** How the label was found, or why not. */
  public enum Method {
    JSON,
    REPAIRED_JSON,
    PATTERN,
    NONE
  }

  /**
   * One parse: the label (null when none), how it was found, and for a null label the reason
   * ({@code empty}, {@code no_label}, {@code ambiguous:a|b}, {@code unknown_value:v}).
   */
  public record Parsed(String label, Method method, String reason) {
    public boolean ok() {
      return label != null;
    }
  }

  private static final ObjectMapper STRICT = new ObjectMapper();
  private static final ObjectMapper LENIENT =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
          .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .build();

  private final String field;
  private final List<String> labels;
  private final Map<String, String> byKey = new LinkedHashMap<>();
  private final Pattern pattern;

  /**
   * @param field the JSON key holding the label (matched ignoring case, {@code _} and spaces)
   * @param labels the canonical labels, e.g. {@code very poor .. excellent}
   * @param synonyms other words judges use, to canonical labels (e.g. {@code great -> excellent})
   */
  public JudgeOutputParser(String field, List<String> labels, Map<String, String> synonyms) {
    this.field = field;
    this.labels = List.copyOf(labels);
    for (String l : labels) {
      byKey.put(key(l), l);
    }
    synonyms.forEach((k, v) -> byKey.put(key(k), v));
    List<String> words = new ArrayList<>(labels);
    words.addAll(synonyms.keySet());
    words.sort(Comparator.comparingInt(String::length).reversed());
    StringBuilder sb = new StringBuilder("(?i)(?<![\\p{L}\\p{N}])(");
    for (int i = 0; i < words.size(); i++) {
      sb.append(i == 0 ? "" : "|")
          .append(Pattern.quote(words.get(i)).replace(" ", "\\E[\\s_-]+\\Q"));
    }
    sb.append(")(?![\\p{L}\\p{N}])");
    this.pattern = Pattern.compile(sb.toString());
  }

  /** Magpie's input-quality scale. */
  public static JudgeOutputParser inputQuality() {
    return new JudgeOutputParser(
        "input_quality",
        List.of("very poor", "poor", "average", "good", "excellent"),
        Map.of(
            "very bad", "very poor",
            "terrible", "very poor",
            "bad", "poor",
            "fair", "average",
            "medium", "average",
            "okay", "average",
            "great", "excellent",
            "outstanding", "excellent"));
  }

  /** Magpie's difficulty scale. */
  public static JudgeOutputParser difficulty() {
    return new JudgeOutputParser(
        "difficulty",
        List.of("very easy", "easy", "medium", "hard", "very hard"),
        Map.of(
            "trivial", "very easy",
            "simple", "easy",
            "moderate", "medium",
            "intermediate", "medium",
            "difficult", "hard",
            "very difficult", "very hard",
            "expert", "very hard"));
  }

  /** Magpie's task category ({@code primary_tag}). */
  public static JudgeOutputParser taskCategory() {
    return new JudgeOutputParser("primary_tag", TaskCategories.LABELS, TaskCategories.synonyms());
  }

  /** Llama-Guard style: {@code safe}, or {@code unsafe} and categories (see {@link #safety}). */
  public static JudgeOutputParser safetyLabel() {
    return new JudgeOutputParser("safety", List.of("safe", "unsafe"), Map.of("not safe", "unsafe"));
  }

  private static final Pattern GUARD_CATEGORY = Pattern.compile("\\b[Ss](\\d{1,2})\\b");

  /**
   * A Llama-Guard answer as {@code safe} or {@code unsafe} followed by its categories, e.g. {@code
   * unsafe:S1,S10}.
   */
  public static Parsed safety(String raw) {
    Parsed p = safetyLabel().parse(raw);
    if (!"unsafe".equals(p.label())) {
      return p;
    }
    Set<String> cats = new LinkedHashSet<>();
    Matcher m = GUARD_CATEGORY.matcher(raw);
    while (m.find()) {
      cats.add("S" + Integer.parseInt(m.group(1)));
    }
    return cats.isEmpty() ? p : new Parsed("unsafe:" + String.join(",", cats), p.method(), null);
  }

  public List<String> labels() {
    return labels;
  }

  static String key(String s) {
    return s.toLowerCase(Locale.ROOT).replace("&", "and").replaceAll("[^\\p{L}\\p{N}]+", "");
  }

  /** Parses one answer; never throws. */
  public Parsed parse(String raw) {
    if (raw == null || raw.isBlank()) {
      return new Parsed(null, Method.NONE, "empty");
    }
    String t = raw.strip();
    // 1. Strict JSON, as the judge was asked to answer.
    if (t.startsWith("{")) {
      JsonNode n = read(STRICT, t);
      if (n != null) {
        Parsed p = fromNode(n, Method.JSON);
        if (p != null) {
          return p;
        }
      }
    }
    // 2. Repaired JSON: the object inside prose, with the prefilled brace and a truncated end.
    String repaired = repair(t);
    if (repaired != null) {
      JsonNode n = read(LENIENT, repaired);
      if (n != null) {
        Parsed p = fromNode(n, Method.REPAIRED_JSON);
        if (p != null) {
          return p;
        }
      }
    }
    // 3. The label by pattern: after the field name if it is there, else anywhere.
    String scope = t;
    Matcher fm =
        Pattern.compile("(?i)" + Pattern.quote(field).replace("_", "\\E[\\s_-]*\\Q")).matcher(t);
    if (fm.find()) {
      scope = t.substring(fm.end());
      int nl = scope.indexOf('\n', 1);
      int comma = scope.indexOf(',');
      int end = scope.length();
      if (comma > 0) {
        end = Math.min(end, comma);
      }
      if (nl > 0) {
        end = Math.min(end, nl);
      }
      String near = scope.substring(0, end);
      Parsed p = byPattern(near);
      if (p.ok() || p.reason().startsWith("ambiguous")) {
        return p;
      }
    }
    return byPattern(t);
  }

  private Parsed byPattern(String text) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      String canon = byKey.get(key(m.group(1)));
      if (canon != null) {
        found.add(canon);
      }
    }
    if (found.isEmpty()) {
      return new Parsed(null, Method.NONE, "no_label");
    }
    if (found.size() > 1) {
      return new Parsed(null, Method.NONE, "ambiguous:" + String.join("|", found));
    }
    return new Parsed(found.iterator().next(), Method.PATTERN, null);
  }

  /** The label of the field in {@code n}, or null when the object lacks the field. */
  private Parsed fromNode(JsonNode n, Method method) {
    if (!n.isObject()) {
      return null;
    }
    JsonNode v = null;
    var it = n.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (key(e.getKey()).equals(key(field))) {
        v = e.getValue();
        break;
      }
    }
    if (v == null || v.isNull()) {
      return null;
    }
    String value = v.isTextual() ? v.asText() : v.toString();
    String canon = byKey.get(key(value));
    if (canon != null) {
      return new Parsed(canon, method, null);
    }
    Parsed p = byPattern(value);
    if (p.ok()) {
      return new Parsed(p.label(), method, null);
    }
    if (p.reason().startsWith("ambiguous")) {
      return p;
    }
    return new Parsed(null, Method.NONE, "unknown_value:" + value);
  }

  private static JsonNode read(ObjectMapper m, String s) {
    try (JsonParser p = m.createParser(s)) {
      return m.readTree(p);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The first JSON object in {@code t}, with a leading {@code {} added where the prefill was not
   * echoed, and an end cut off by the token limit closed (open string, then open braces).
   */
  static String repair(String t) {
    int open = t.indexOf('{');
    String s;
    if (open >= 0) {
      s = t.substring(open);
    } else if (t.matches("(?s)\\s*[\"']?[A-Za-z_ ]+[\"']?\\s*:.*")) {
      s = "{" + t;
    } else {
      return null;
    }
    StringBuilder out = new StringBuilder();
    int depth = 0;
    boolean inString = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c);
      if (inString) {
        if (c == '\\') {
          if (i + 1 < s.length()) {
            out.append(s.charAt(++i));
          }
        } else if (c == quote) {
          inString = false;
        }
      } else if (c == '"' || c == '\'') {
        inString = true;
        quote = c;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return out.toString();
        }
      }
    }
    if (inString) {
      out.append(quote);
    }
    String body = out.toString().replaceAll("[,:\\s]+$", "");
    StringBuilder closed = new StringBuilder(body);
    closed.append("}".repeat(Math.max(0, depth)));
    return closed.toString();
  }
}
