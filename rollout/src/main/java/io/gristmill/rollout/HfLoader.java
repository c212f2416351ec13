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
 * Reads a HuggingFace checkpoint folder: {@code config.json} (Llama, Mistral, Qwen2), {@code
 * model.safetensors} or the shards named by {@code model.safetensors.index.json} (bf16, fp16 or
 * fp32), {@code tokenizer.json} (or verl's character table in {@code tokenizer_config.json}), the
 * chat template of {@code tokenizer_config.json}, and {@code generation_config.json}.
 */
final class HfLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TYPES = Set.of("llama", "mistral", "qwen2");

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
    if (!cfg.path("rope_scaling").isMissingNode() && !cfg.path("rope_scaling").isNull()) {
      throw Errors.modelUnsupported(dir.toString(), "rope_scaling " + cfg.get("rope_scaling"));
    }
    JsonNode gen = optionalJson(dir.resolve("generation_config.json"));
    JsonNode tokCfg = optionalJson(dir.resolve("tokenizer_config.json"));
    int heads = cfg.path("num_attention_heads").asInt();
    List<Integer> eos =
        ids(gen.has("eos_token_id") ? gen.get("eos_token_id") : cfg.get("eos_token_id"));
    int bos =
        intOr(gen.has("bos_token_id") ? gen.get("bos_token_id") : cfg.get("bos_token_id"), -1);
    boolean addBos = tokCfg.path("add_bos_token").asBoolean(type.equals("llama"));
    ModelConfig c =
        new ModelConfig(
            cfg.path("vocab_size").asInt(),
            cfg.path("hidden_size").asInt(),
            cfg.path("intermediate_size").asInt(),
            cfg.path("num_hidden_layers").asInt(),
            heads,
            cfg.path("num_key_value_heads").asInt(heads),
            cfg.path("max_position_embeddings").asInt(2048),
            cfg.path("rope_theta").asDouble(10000.0),
            cfg.path("rms_norm_eps").asDouble(1e-6),
            cfg.path("tie_word_embeddings").asBoolean(false),
            type.equals("qwen2") || cfg.path("attention_bias").asBoolean(false),
            addBos ? bos : -1,
            eos,
            intOr(cfg.get("pad_token_id"), eos.isEmpty() ? 0 : eos.get(0)));
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
