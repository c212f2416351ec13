package io.gristmill.core.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The YAML keys of a config record, for {@code --help}: one line per leaf key with its type, in the
 * snake_case the loader binds ({@code sources[i].path}, {@code near_dedup.threshold}). Derived from
 * the record itself, so help never drifts from what the loader accepts.
 */
public final class ConfigKeys {
  private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE =
      new PropertyNamingStrategies.SnakeCaseStrategy();

  private ConfigKeys() {}

  /** Lines "key type" for every leaf key of {@code config}. */
  public static List<String> of(Class<?> config) {
    List<String> out = new ArrayList<>();
    walk(config, "", out, 0);
    return out;
  }

  /** The keys as one indented block, for a command's help footer. */
  public static String helpBlock(Class<?> config) {
    List<String> keys = of(config);
    int width = keys.stream().mapToInt(k -> k.indexOf('\t')).max().orElse(0);
    return keys.stream()
        .map(
            k -> {
              int tab = k.indexOf('\t');
              return "  "
                  + k.substring(0, tab)
                  + " ".repeat(width - tab + 2)
                  + k.substring(tab + 1);
            })
        .collect(Collectors.joining("%n"));
  }

  private static void walk(Class<?> type, String prefix, List<String> out, int depth) {
    if (depth > 6 || !type.isRecord()) {
      return;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      String key = prefix + jsonName(c);
      Class<?> raw = c.getType();
      Type generic = c.getGenericType();
      if (raw.isRecord()) {
        walk(raw, key + ".", out, depth + 1);
      } else if (List.class.isAssignableFrom(raw) && elementIsRecord(generic)) {
        walk(element(generic), key + "[i].", out, depth + 1);
      } else {
        out.add(key + "\t" + describe(raw, generic));
      }
    }
  }

  private static String jsonName(RecordComponent c) {
    com.fasterxml.jackson.annotation.JsonProperty p =
        c.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
    if (p == null) {
      p = c.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
    }
    return p != null && !p.value().isEmpty() ? p.value() : SNAKE.translate(c.getName());
  }

  private static boolean elementIsRecord(Type generic) {
    Class<?> e = element(generic);
    return e != null && e.isRecord();
  }

  private static Class<?> element(Type generic) {
    if (generic instanceof ParameterizedType pt
        && pt.getActualTypeArguments().length == 1
        && pt.getActualTypeArguments()[0] instanceof Class<?> e) {
      return e;
    }
    return null;
  }

  private static String describe(Class<?> raw, Type generic) {
    if (raw.isEnum()) {
      return Arrays.stream(raw.getEnumConstants())
          .map(e -> e.toString().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(" | "));
    }
    if (List.class.isAssignableFrom(raw)) {
      Class<?> e = element(generic);
      return "list of " + (e == null ? "values" : simple(e));
    }
    if (Map.class.isAssignableFrom(raw)) {
      return "map";
    }
    return simple(raw);
  }

  private static String simple(Class<?> c) {
    if (c == String.class) {
      return "text";
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return "integer";
    }
    if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
      return "number";
    }
    if (c == boolean.class || c == Boolean.class) {
      return "true | false";
    }
    return c.getSimpleName();
  }
}
