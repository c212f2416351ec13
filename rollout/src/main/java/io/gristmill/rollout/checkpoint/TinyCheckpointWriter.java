package io.gristmill.rollout.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.core.Errors;
import io.gristmill.rollout.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a random-weight checkpoint in HuggingFace format, for tests and benchmarks that need a
 * given shape: {@code config.json}, {@code model.safetensors} (float32, bfloat16 or float16),
 * {@code generation_config.json}, a byte-level BPE {@code tokenizer.json} it builds, and {@code
 * tokenizer_config.json} with a chat template. Weights are uniform with std 0.02 from a
 * SplittableRandom seeded by the spec, so the same spec gives the same files.
 */
public final class TinyCheckpointWriter {
  /** The chat template written to {@code tokenizer_config.json}. */
  public static final String CHAT_TEMPLATE =
      "{{ bos_token }}{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' +"
          + " message['content'] + eos_token + '\\n' }}{% endfor %}{% if add_generation_prompt"
          + " %}{{ '<|assistant|>\\n' }}{% endif %}";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TinyCheckpointWriter() {}

  public static void write(Path dir, TinyCheckpointSpec s) {
    try {
      Files.createDirectories(dir);
      JSON.writeValue(dir.resolve("config.json").toFile(), config(s));
      ObjectNode gen = JSON.createObjectNode();
      gen.put("bos_token_id", 1).put("eos_token_id", 2).put("pad_token_id", 0);
      JSON.writeValue(dir.resolve("generation_config.json").toFile(), gen);
      JSON.writeValue(
          dir.resolve("tokenizer.json").toFile(), ByteLevelBpeJson.build(s.vocabSize(), JSON));
      ObjectNode tc = JSON.createObjectNode();
      tc.put("bos_token", "<s>").put("eos_token", "</s>").put("pad_token", "<pad>");
      tc.put("add_bos_token", true).put("model_max_length", s.maxSeqLen());
      tc.put("chat_template", CHAT_TEMPLATE);
      JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), tc);
      writeWeights(dir.resolve("model.safetensors"), s);
    } catch (IOException e) {
      throw Errors.outputFailed("checkpoint", dir.toString(), e);
    }
  }

  private static ObjectNode config(TinyCheckpointSpec s) {
    ObjectNode c = JSON.createObjectNode();
    boolean qwen = s.modelType().equals("qwen2");
    c.putArray("architectures").add(qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
    c.put("model_type", s.modelType());
    c.put("vocab_size", s.vocabSize());
    c.put("hidden_size", s.dim());
    c.put("intermediate_size", s.hiddenDim());
    c.put("num_hidden_layers", s.nLayers());
    c.put("num_attention_heads", s.nHeads());
    c.put("num_key_value_heads", s.nKvHeads());
    c.put("max_position_embeddings", s.maxSeqLen());
    c.put("rope_theta", 10000.0);
    c.put("rms_norm_eps", 1e-5);
    c.put("hidden_act", "silu");
    c.put("tie_word_embeddings", s.tiedEmbeddings());
    c.put("bos_token_id", 1).put("eos_token_id", 2).put("pad_token_id", 0);
    c.put("torch_dtype", s.dtype());
    return c;
  }

  private static void writeWeights(Path file, TinyCheckpointSpec s) throws IOException {
    SplittableRandom rng = new SplittableRandom(s.seed());
    int hd = s.dim() / s.nHeads();
    Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
    add(t, "model.embed_tokens.weight", rng, s.vocabSize(), s.dim());
    for (int i = 0; i < s.nLayers(); i++) {
      String p = "model.layers." + i + ".";
      add(t, p + "input_layernorm.weight", null, s.dim(), -1);
      add(t, p + "self_attn.q_proj.weight", rng, s.nHeads() * hd, s.dim());
      add(t, p + "self_attn.k_proj.weight", rng, s.nKvHeads() * hd, s.dim());
      add(t, p + "self_attn.v_proj.weight", rng, s.nKvHeads() * hd, s.dim());
      if (s.modelType().equals("qwen2")) {
        add(t, p + "self_attn.q_proj.bias", rng, s.nHeads() * hd, -1);
        add(t, p + "self_attn.k_proj.bias", rng, s.nKvHeads() * hd, -1);
        add(t, p + "self_attn.v_proj.bias", rng, s.nKvHeads() * hd, -1);
      }
      add(t, p + "self_attn.o_proj.weight", rng, s.dim(), s.nHeads() * hd);
      add(t, p + "post_attention_layernorm.weight", null, s.dim(), -1);
      add(t, p + "mlp.gate_proj.weight", rng, s.hiddenDim(), s.dim());
      add(t, p + "mlp.up_proj.weight", rng, s.hiddenDim(), s.dim());
      add(t, p + "mlp.down_proj.weight", rng, s.dim(), s.hiddenDim());
    }
    add(t, "model.norm.weight", null, s.dim(), -1);
    if (!s.tiedEmbeddings()) {
      add(t, "lm_head.weight", rng, s.vocabSize(), s.dim());
    }
    String dtype =
        switch (s.dtype()) {
          case "float32" -> "F32";
          case "float16" -> "F16";
          default -> "BF16";
        };
    Safetensors.write(file, t, dtype);
  }

  /** A random [rows, cols] matrix, or ones of length rows (a norm weight) when rng is null. */
  static void add(
      Map<String, Safetensors.Tensor> t, String name, SplittableRandom rng, int rows, int cols) {
    int n = cols < 0 ? rows : rows * cols;
    float[] v = new float[n];
    double a = 0.02 * Math.sqrt(3.0);
    for (int i = 0; i < n; i++) {
      v[i] = rng == null ? 1f : (float) ((rng.nextDouble() * 2 - 1) * a);
    }
    t.put(name, new Safetensors.Tensor(cols < 0 ? new long[] {rows} : new long[] {rows, cols}, v));
  }
}
