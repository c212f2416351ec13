package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a HuggingFace checkpoint folder: {@code config.json} (Llama incl. Llama-3.x rope scaling
 * and SmolLM2, Mistral with its sliding window, Qwen2/2.5, Qwen3 with q/k norms; {@code
 * *ForCausalLM} or {@code *ForSequenceClassification}), {@code model.safetensors} or the shards
 * named by {@code model.safetensors.index.json} (bf16, fp16 or fp32), {@code tokenizer.json} (or
 * verl's character table in {@code tokenizer_config.json}), the chat template of {@code
 * tokenizer_config.json}, and {@code generation_config.json}. A config field whose value this
 * engine would silently compute wrong (an unknown rope type, another activation, MLP biases,
 * partial rotary, Qwen's layer-wise sliding window) fails, naming the field.
 */
final class HfLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TYPES = Set.of("llama", "mistral", "qwen2", "qwen3");
  private static final Set<String> ROPE_TYPES = Set.of("default", "linear", "dynamic", "llama3");

  private HfLoader() {}

  static boolean accepts(Path dir) {
    return Files.isRegularFile(dir.resolve("config.json"));
  }

  static LoadedCheckpoint load(Path dir, NDManager m) {
    JsonNode cfg = json(dir.resolve("config.json"));
    String type = cfg.path("model_type").asText("llama");
    if (!TYPES.contains(type)) {
      throw Errors.modelUnsupported(dir.toString(), "model_type '" + type + "'");
    }
    String where = dir.toString();
    checkSupported(cfg, type, where);
    boolean classifier = isClassifier(cfg, where);
    JsonNode gen = optionalJson(dir.resolve("generation_config.json"));
    JsonNode tokCfg = optionalJson(dir.resolve("tokenizer_config.json"));
    int heads = cfg.path("num_attention_heads").asInt();
    List<Integer> eos =
        ids(gen.has("eos_token_id") ? gen.get("eos_token_id") : cfg.get("eos_token_id"));
    int bos =
        intOr(gen.has("bos_token_id") ? gen.get("bos_token_id") : cfg.get("bos_token_id"), -1);
    boolean addBos = tokCfg.path("add_bos_token").asBoolean(type.equals("llama"));
    int hidden = cfg.path("hidden_size").asInt();
    int maxPos = cfg.path("max_position_embeddings").asInt(2048);
    int headDim =
        cfg.hasNonNull("head_dim") ? cfg.get("head_dim").asInt() : heads > 0 ? hidden / heads : -1;
    int window =
        type.equals("mistral") && cfg.hasNonNull("sliding_window")
            ? cfg.get("sliding_window").asInt()
            : 0;
    ModelConfig c =
        new ModelConfig(
            cfg.path("vocab_size").asInt(),
            hidden,
            cfg.path("intermediate_size").asInt(),
            cfg.path("num_hidden_layers").asInt(),
            heads,
            cfg.path("num_key_value_heads").asInt(heads),
            maxPos,
            cfg.path("rope_theta").asDouble(10000.0),
            cfg.path("rms_norm_eps").asDouble(1e-6),
            cfg.path("tie_word_embeddings").asBoolean(false),
            type.equals("qwen2") || cfg.path("attention_bias").asBoolean(false),
            addBos ? bos : -1,
            eos,
            intOr(cfg.get("pad_token_id"), eos.isEmpty() ? 0 : eos.get(0)),
            headDim,
            ropeScaling(cfg.get("rope_scaling"), maxPos, where),
            type.equals("qwen3"),
            window,
            classifier ? numLabels(cfg) : 0);
    Map<String, NDArray> tensors = readTensors(dir, m);
    TextTokenizer tok = tokenizer(dir, tokCfg, c);
    ChatTemplate template =
        tokCfg.hasNonNull("chat_template")
            ? new ChatTemplate(
                tokCfg.get("chat_template").asText(),
                special(tokCfg, "bos_token"),
                special(tokCfg, "eos_token"),
                special(tokCfg, "sep_token"))
            : null;
    GenerationDefaults d =
        new GenerationDefaults(
            eos,
            gen.hasNonNull("temperature") ? gen.get("temperature").asDouble() : null,
            gen.hasNonNull("top_p") ? gen.get("top_p").asDouble() : null,
            gen.hasNonNull("top_k") ? gen.get("top_k").asInt() : null);
    return new LoadedCheckpoint(dir.getFileName().toString(), c, tensors, tok, template, d);
  }

  /** Fields whose values this engine does not compute; each failure names the field. */
  private static void checkSupported(JsonNode cfg, String type, String where) {
    String act = cfg.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw Errors.modelUnsupported(where, "hidden_act '" + act + "' (only silu)");
    }
    if (cfg.path("mlp_bias").asBoolean(false)) {
      throw Errors.modelUnsupported(where, "mlp_bias true");
    }
    if (cfg.hasNonNull("partial_rotary_factor")
        && cfg.get("partial_rotary_factor").asDouble() != 1.0) {
      throw Errors.modelUnsupported(
          where, "partial_rotary_factor " + cfg.get("partial_rotary_factor"));
    }
    if (type.startsWith("qwen") && cfg.path("use_sliding_window").asBoolean(false)) {
      throw Errors.modelUnsupported(where, "use_sliding_window true (layer-wise sliding window)");
    }
  }

  private static boolean isClassifier(JsonNode cfg, String where) {
    boolean classifier = false;
    for (JsonNode a : cfg.path("architectures")) {
      String name = a.asText();
      if (name.endsWith("ForSequenceClassification")) {
        classifier = true;
      } else if (!name.endsWith("ForCausalLM")) {
        throw Errors.modelUnsupported(where, "architectures '" + name + "'");
      }
    }
    return classifier;
  }

  private static int numLabels(JsonNode cfg) {
    if (cfg.hasNonNull("num_labels")) {
      return cfg.get("num_labels").asInt();
    }
    return cfg.path("id2label").isObject() ? Math.max(1, cfg.get("id2label").size()) : 2;
  }

  /** {@code rope_scaling}: null, or a type of {@link RopeScaling} with its fields. */
  static RopeScaling ropeScaling(JsonNode n, int maxPos, String where) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return RopeScaling.NONE;
    }
    String type =
        n.hasNonNull("rope_type") ? n.get("rope_type").asText() : n.path("type").asText("");
    if (!ROPE_TYPES.contains(type)) {
      throw Errors.modelUnsupported(
          where, "rope_scaling.rope_type '" + type + "' (supported: " + ROPE_TYPES + ")");
    }
    if (type.equals("default")) {
      return RopeScaling.NONE;
    }
    double factor = required(n, "factor", where);
    if (factor < 1.0) {
      throw Errors.modelUnsupported(where, "rope_scaling.factor " + factor + " (must be >= 1)");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of(
              "rope_type",
              "type",
              "factor",
              "low_freq_factor",
              "high_freq_factor",
              "original_max_position_embeddings")
          .contains(f)) {
        throw Errors.modelUnsupported(where, "rope_scaling." + f);
      }
    }
    if (type.equals("llama3")) {
      double low = required(n, "low_freq_factor", where);
      double high = required(n, "high_freq_factor", where);
      int orig = (int) required(n, "original_max_position_embeddings", where);
      if (!(high > low)) {
        throw Errors.modelUnsupported(
            where, "rope_scaling.high_freq_factor " + high + " (must exceed low_freq_factor)");
      }
      return new RopeScaling(type, factor, low, high, orig);
    }
    int orig =
        n.hasNonNull("original_max_position_embeddings")
            ? n.get("original_max_position_embeddings").asInt()
            : maxPos;
    return new RopeScaling(type, factor, 0, 0, orig);
  }

  private static double required(JsonNode n, String field, String where) {
    if (!n.hasNonNull(field) || !n.get(field).isNumber()) {
      throw Errors.modelUnsupported(where, "rope_scaling without a numeric " + field);
    }
    return n.get(field).asDouble();
  }

  private static TextTokenizer tokenizer(Path dir, JsonNode tokCfg, ModelConfig c) {
    if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
      return HfTextTokenizer.load(dir.resolve("tokenizer.json"), c.bosId(), c.vocabSize());
    }
    if (tokCfg.has("char_ords")) {
      List<Integer> ords = new ArrayList<>();
      tokCfg.get("char_ords").forEach(n -> ords.add(n.asInt()));
      return new CharTableTokenizer(ords);
    }
    throw Errors.resourceFailed(
        "tokenizer", dir.toString(), new IOException("no tokenizer.json in the folder"));
  }

  private static Map<String, NDArray> readTensors(Path dir, NDManager m) {
    Set<String> files = new LinkedHashSet<>();
    Path index = dir.resolve("model.safetensors.index.json");
    if (Files.isRegularFile(index)) {
      Iterator<JsonNode> it = json(index).path("weight_map").elements();
      it.forEachRemaining(n -> files.add(n.asText()));
    } else {
      files.add("model.safetensors");
    }
    Map<String, NDArray> out = new HashMap<>();
    for (String f : files) {
      Path p = dir.resolve(f);
      try {
        for (Map.Entry<String, Safetensors.Tensor> e : Safetensors.read(p).entrySet()) {
          Safetensors.Tensor t = e.getValue();
          out.put(e.getKey(), m.create(t.data(), new Shape(t.shape())));
        }
      } catch (IOException | RuntimeException e) {
        throw Errors.resourceFailed("safetensors weights", p.toString(), e);
      }
    }
    return out;
  }

  private static String special(JsonNode tokCfg, String key) {
    JsonNode n = tokCfg.get(key);
    if (n == null || n.isNull()) {
      return "";
    }
    return n.isObject() ? n.path("content").asText("") : n.asText("");
  }

  private static List<Integer> ids(JsonNode n) {
    List<Integer> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isArray()) {
      n.forEach(x -> out.add(x.asInt()));
    } else {
      out.add(n.asInt());
    }
    return out;
  }

  private static int intOr(JsonNode n, int fallback) {
    return n == null || n.isNull() || !n.canConvertToInt() ? fallback : n.asInt();
  }

  private static JsonNode optionalJson(Path p) {
    return Files.isRegularFile(p) ? json(p) : JSON.createObjectNode();
  }

  private static JsonNode json(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw Errors.resourceFailed("model file", p.toString(), e);
    }
  }
}
