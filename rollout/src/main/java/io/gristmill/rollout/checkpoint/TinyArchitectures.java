package io.gristmill.rollout.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.core.Errors;
import io.gristmill.rollout.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random-weight checkpoints of the architectures the engine supports, at test sizes, whose {@code
 * config.json} carries the field names (and the non-size values) of a published model:
 *
 * <ul>
 *   <li>{@code llama3}: Llama-3.2-1B-Instruct (tied, GQA, explicit {@code head_dim}, {@code
 *       rope_scaling} of type llama3, {@code rope_theta} 500000; original context scaled to 64);
 *   <li>{@code smollm2}: SmolLM2-135M-Instruct (a Llama config: GQA 3:1, tied, theta 100000);
 *   <li>{@code mistral}: Mistral-7B-v0.1 ({@code sliding_window}, scaled to 8);
 *   <li>{@code qwen3}: Qwen3-0.6B ({@code head_dim} unlike {@code hidden_size / heads}, q/k
 *       RMSNorm, tied, {@code use_sliding_window: false});
 *   <li>{@code linear} and {@code dynamic}: Llama-2 style configs with {@code rope_scaling} {@code
 *       {"type": "linear"|"dynamic", "factor": 2.0}} (original context 64);
 *   <li>{@code llama3-rm}: a reward model like FsfairX-LLaMA3-RM ({@code
 *       LlamaForSequenceClassification}, {@code num_labels} 1, {@code score.weight}, no LM head).
 * </ul>
 *
 * Tokenizer, chat template and generation config are those of {@link TinyCheckpointWriter} (vocab
 * 384, BOS 1, EOS 2, pad 0). Same name, same files.
 */
public final class TinyArchitectures {
  public static final List<String> NAMES =
      List.of("llama3", "smollm2", "mistral", "qwen3", "linear", "dynamic", "llama3-rm");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int VOCAB = 384;

  private TinyArchitectures() {}

  /** Sizes of one tiny architecture. */
  private record Sizes(
      int dim, int hidden, int layers, int heads, int kvHeads, int headDim, boolean tied) {}

  public static void write(Path dir, String name) {
    ObjectNode c = JSON.createObjectNode();
    Sizes s;
    switch (name) {
      case "llama3", "llama3-rm" -> {
        boolean rm = name.equals("llama3-rm");
        s = new Sizes(64, 172, 2, 4, 2, 16, !rm);
        c.putArray("architectures").add(rm ? "LlamaForSequenceClassification" : "LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("attention_bias", false).put("attention_dropout", 0.0).put("mlp_bias", false);
        c.put("head_dim", s.headDim()).put("pretraining_tp", 1).put("rope_theta", 500000.0);
        if (rm) {
          c.put("num_labels", 1);
          c.putObject("id2label").put("0", "LABEL_0");
          c.putObject("label2id").put("LABEL_0", 0);
        } else {
          ObjectNode r = c.putObject("rope_scaling");
          r.put("factor", 32.0).put("high_freq_factor", 4.0).put("low_freq_factor", 1.0);
          r.put("original_max_position_embeddings", 64).put("rope_type", "llama3");
        }
      }
      case "smollm2" -> {
        s = new Sizes(48, 128, 2, 3, 1, 16, true);
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("attention_bias", false).put("attention_dropout", 0.0).put("mlp_bias", false);
        c.put("head_dim", s.headDim()).put("pretraining_tp", 1).put("rope_theta", 100000.0);
        c.putNull("rope_scaling");
        c.put("is_llama_config", true).put("rope_interleaved", false);
      }
      case "mistral" -> {
        s = new Sizes(64, 172, 2, 4, 2, 16, false);
        c.putArray("architectures").add("MistralForCausalLM");
        c.put("model_type", "mistral");
        c.put("sliding_window", 8).put("rope_theta", 10000.0).put("attention_dropout", 0.0);
      }
      case "qwen3" -> {
        s = new Sizes(64, 160, 2, 4, 2, 32, true);
        c.putArray("architectures").add("Qwen3ForCausalLM");
        c.put("model_type", "qwen3");
        c.put("attention_bias", false).put("attention_dropout", 0.0).put("head_dim", s.headDim());
        c.put("max_window_layers", 2).putNull("sliding_window").put("use_sliding_window", false);
        c.put("rope_theta", 1000000.0).putNull("rope_scaling");
      }
      case "linear", "dynamic" -> {
        s = new Sizes(64, 172, 2, 4, 4, 16, false);
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("rope_theta", 10000.0);
        c.putObject("rope_scaling").put("type", name).put("factor", 2.0);
      }
      default -> throw Errors.invalidValue("architecture", name, "one of " + NAMES);
    }
    c.put("hidden_act", "silu");
    c.put("vocab_size", VOCAB);
    c.put("hidden_size", s.dim());
    c.put("intermediate_size", s.hidden());
    c.put("num_hidden_layers", s.layers());
    c.put("num_attention_heads", s.heads());
    c.put("num_key_value_heads", s.kvHeads());
    c.put("max_position_embeddings", name.equals("linear") || name.equals("dynamic") ? 64 : 512);
    c.put("rms_norm_eps", 1e-5);
    c.put("tie_word_embeddings", s.tied());
    c.put("bos_token_id", 1).put("eos_token_id", 2).put("pad_token_id", 0);
    c.put("torch_dtype", "bfloat16").put("use_cache", true);
    // tokenizer, chat template and generation config of the plain tiny checkpoint
    TinyCheckpointWriter.write(dir, TinyCheckpointSpec.tiny());
    try {
      JSON.writeValue(dir.resolve("config.json").toFile(), c);
      Safetensors.write(
          dir.resolve("model.safetensors"), weights(s, name, name.hashCode()), "BF16");
    } catch (IOException e) {
      throw Errors.outputFailed("checkpoint", dir.toString(), e);
    }
  }

  private static Map<String, Safetensors.Tensor> weights(Sizes s, String name, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int q = s.heads() * s.headDim();
    int kv = s.kvHeads() * s.headDim();
    Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
    TinyCheckpointWriter.add(t, "model.embed_tokens.weight", rng, VOCAB, s.dim());
    for (int i = 0; i < s.layers(); i++) {
      String p = "model.layers." + i + ".";
      TinyCheckpointWriter.add(t, p + "input_layernorm.weight", null, s.dim(), -1);
      TinyCheckpointWriter.add(t, p + "self_attn.q_proj.weight", rng, q, s.dim());
      TinyCheckpointWriter.add(t, p + "self_attn.k_proj.weight", rng, kv, s.dim());
      TinyCheckpointWriter.add(t, p + "self_attn.v_proj.weight", rng, kv, s.dim());
      if (name.equals("qwen3")) {
        TinyCheckpointWriter.add(t, p + "self_attn.q_norm.weight", null, s.headDim(), -1);
        TinyCheckpointWriter.add(t, p + "self_attn.k_norm.weight", null, s.headDim(), -1);
      }
      TinyCheckpointWriter.add(t, p + "self_attn.o_proj.weight", rng, s.dim(), q);
      TinyCheckpointWriter.add(t, p + "post_attention_layernorm.weight", null, s.dim(), -1);
      TinyCheckpointWriter.add(t, p + "mlp.gate_proj.weight", rng, s.hidden(), s.dim());
      TinyCheckpointWriter.add(t, p + "mlp.up_proj.weight", rng, s.hidden(), s.dim());
      TinyCheckpointWriter.add(t, p + "mlp.down_proj.weight", rng, s.dim(), s.hidden());
    }
    TinyCheckpointWriter.add(t, "model.norm.weight", null, s.dim(), -1);
    if (name.equals("llama3-rm")) {
      TinyCheckpointWriter.add(t, "score.weight", rng, 1, s.dim());
    } else if (!s.tied()) {
      TinyCheckpointWriter.add(t, "lm_head.weight", rng, VOCAB, s.dim());
    }
    return t;
  }
}
