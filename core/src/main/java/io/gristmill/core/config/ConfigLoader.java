package io.gristmill.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gristmill.core.Errors;
import io.gristmill.core.GristmillException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a YAML file to an immutable config record. Keys are snake_case in YAML and camelCase in the
 * record. Unknown keys, wrong types, missing required keys and out-of-range values fail here,
 * before any Spark work starts, with a message that names the file, the key, the value and what was
 * expected.
 *
 * <p>Overrides ({@code --set a.b=value}, {@code --set sources[0].path=x}) are applied to the YAML
 * tree before binding, so they are checked exactly like values in the file.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = newYamlMapper();

  private ConfigLoader() {}

  /** The mapper used to bind config records; also used to write them back (e.g. to a manifest). */
  public static ObjectMapper yamlMapper() {
    return YAML;
  }

  private static ObjectMapper newYamlMapper() {
    ObjectMapper m = new ObjectMapper(new YAMLFactory());
    m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // A key given twice is an error, never "the last one wins" (issue 14, finding 9): the parser
    // detects it while reading and the tree reader refuses it too.
    m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    m.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    // 2.7 for an integer key is an error, never truncated to 2.
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    return m;
  }

  public static <T> T load(Path file, Class<T> type, List<String> overrides) {
    if (!Files.isRegularFile(file)) {
      throw Errors.configFileMissing(file.toString());
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.configUnreadable(file.toString(), e.getMessage(), e);
    }
    return fromString(text, file.toString(), type, overrides);
  }

  /** Binds YAML text; {@code fileLabel} names the origin in messages. */
  public static <T> T fromString(
      String yaml, String fileLabel, Class<T> type, List<String> overrides) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw Errors.configUnreadable(fileLabel, e.getOriginalMessage(), e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = JsonNodeFactory.instance.objectNode();
    }
    if (!tree.isObject()) {
      throw Errors.configWrongType(fileLabel, "(top level)", tree.toString(), "a mapping of keys");
    }
    for (String override : overrides) {
      applyOverride((ObjectNode) tree, override);
    }
    return bind(tree, fileLabel, type);
  }

  static <T> T bind(JsonNode tree, String fileLabel, Class<T> type) {
    try {
      return YAML.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      List<String> known = new ArrayList<>();
      if (e.getKnownPropertyIds() != null) {
        e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      }
      throw Errors.configUnknownKey(fileLabel, pathOf(e), known);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Errors.InvalidValue iv) {
        String prefix = pathOf(e);
        String key = prefix.isEmpty() ? iv.key() : prefix + "." + iv.key();
        if (iv.value() == null) {
          throw Errors.configMissingKey(fileLabel, key);
        }
        throw Errors.configInvalidValue(fileLabel, key, iv.value(), iv.expected());
      }
      if (cause instanceof GristmillException ge) {
        throw ge;
      }
      throw Errors.configInvalidValue(
          fileLabel, pathOf(e), "?", cause == null ? e.getOriginalMessage() : cause.getMessage());
    } catch (InvalidFormatException e) {
      throw Errors.configWrongType(
          fileLabel, pathOf(e), String.valueOf(e.getValue()), describe(e.getTargetType()));
    } catch (MismatchedInputException e) {
      JsonNode bad = nodeAt(tree, e.getPath());
      throw Errors.configWrongType(
          fileLabel,
          pathOf(e),
          bad == null ? "?" : bad.isTextual() ? bad.asText() : bad.toString(),
          describe(e.getTargetType()));
    } catch (JsonProcessingException e) {
      throw Errors.configUnreadable(fileLabel, e.getOriginalMessage(), e);
    }
  }

  private static JsonNode nodeAt(JsonNode root, List<JsonMappingException.Reference> path) {
    JsonNode n = root;
    for (JsonMappingException.Reference r : path) {
      if (n == null) {
        return null;
      }
      n = r.getFieldName() != null ? n.get(r.getFieldName()) : n.get(r.getIndex());
    }
    return n;
  }

  private static String describe(Class<?> t) {
    if (t == null) {
      return "a different type";
    }
    if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
      return "an integer";
    }
    if (t == Double.class || t == double.class || t == Float.class || t == float.class) {
      return "a number";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "true or false";
    }
    if (t == String.class) {
      return "a string";
    }
    if (t.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object c : t.getEnumConstants()) {
        names.add(c.toString().toLowerCase(java.util.Locale.ROOT));
      }
      return "one of " + String.join(", ", names);
    }
    if (List.class.isAssignableFrom(t) || t.isArray()) {
      return "a list";
    }
    if (t.isRecord() || java.util.Map.class.isAssignableFrom(t)) {
      return "a mapping of keys";
    }
    return "a value of type " + t.getSimpleName();
  }

  static String pathOf(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** Applies {@code key.path=value}; the value is parsed as a YAML scalar or flow collection. */
  static void applyOverride(ObjectNode root, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw Errors.badOverride(override);
    }
    String key = override.substring(0, eq).trim();
    String raw = override.substring(eq + 1);
    JsonNode value;
    try {
      value = raw.isEmpty() ? NullNode.getInstance() : YAML.readTree(raw);
    } catch (JsonProcessingException e) {
      value = JsonNodeFactory.instance.textNode(raw);
    }
    if (value == null || value.isMissingNode()) {
      value = JsonNodeFactory.instance.textNode(raw);
    }
    List<Object> parts = parseKey(key, override);
    JsonNode cur = root;
    for (int i = 0; i < parts.size() - 1; i++) {
      Object p = parts.get(i);
      Object next = parts.get(i + 1);
      JsonNode child = p instanceof String s ? cur.get(s) : cur.get((Integer) p);
      if (child == null || child.isNull()) {
        child =
            next instanceof String
                ? JsonNodeFactory.instance.objectNode()
                : JsonNodeFactory.instance.arrayNode();
        put(cur, p, child, override);
      }
      cur = child;
    }
    put(cur, parts.get(parts.size() - 1), value, override);
  }

  private static void put(JsonNode parent, Object key, JsonNode value, String override) {
    if (key instanceof String s && parent instanceof ObjectNode o) {
      o.set(s, value);
    } else if (key instanceof Integer i && parent instanceof ArrayNode a) {
      while (a.size() <= i) {
        a.add(JsonNodeFactory.instance.objectNode());
      }
      a.set(i, value);
    } else {
      throw Errors.badOverride(override);
    }
  }

  private static List<Object> parseKey(String key, String override) {
    List<Object> parts = new ArrayList<>();
    for (String seg : key.split("\\.")) {
      if (seg.isEmpty()) {
        throw Errors.badOverride(override);
      }
      int b = seg.indexOf('[');
      String name = b < 0 ? seg : seg.substring(0, b);
      if (!name.isEmpty()) {
        parts.add(name);
      }
      while (b >= 0) {
        int e = seg.indexOf(']', b);
        if (e < 0) {
          throw Errors.badOverride(override);
        }
        try {
          parts.add(Integer.parseInt(seg.substring(b + 1, e)));
        } catch (NumberFormatException nfe) {
          throw Errors.badOverride(override);
        }
        b = seg.indexOf('[', e);
      }
    }
    if (parts.isEmpty()) {
      throw Errors.badOverride(override);
    }
    return parts;
  }
}
