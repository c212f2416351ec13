package io.gristmill.rollout.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.Errors;
import java.util.Set;

/**
 * The fields of a BERT {@code config.json} the encoder computes with. A field whose value it would
 * compute wrong (another activation, relative positions, a decoder or cross-attention) fails,
 * naming the field.
 */
record BertConfig(
    int vocabSize,
    int hidden,
    int layers,
    int heads,
    int intermediate,
    int maxPositions,
    int typeVocab,
    double eps,
    int padId) {
  private static final Set<String> TYPES = Set.of("bert");

  int headDim() {
    return hidden / heads;
  }

  static BertConfig parse(JsonNode cfg, String where) {
    String type = cfg.path("model_type").asText("bert");
    if (!TYPES.contains(type)) {
      throw Errors.encoderUnsupported(where, "model_type '" + type + "'");
    }
    for (JsonNode a : cfg.path("architectures")) {
      if (!a.asText().startsWith("Bert")) {
        throw Errors.encoderUnsupported(where, "architectures '" + a.asText() + "'");
      }
    }
    String act = cfg.path("hidden_act").asText("gelu");
    if (!act.equals("gelu")) {
      throw Errors.encoderUnsupported(where, "hidden_act '" + act + "' (only gelu)");
    }
    String pos = cfg.path("position_embedding_type").asText("absolute");
    if (!pos.equals("absolute")) {
      throw Errors.encoderUnsupported(where, "position_embedding_type '" + pos + "'");
    }
    if (cfg.path("is_decoder").asBoolean(false)) {
      throw Errors.encoderUnsupported(where, "is_decoder true");
    }
    if (cfg.path("add_cross_attention").asBoolean(false)) {
      throw Errors.encoderUnsupported(where, "add_cross_attention true");
    }
    int hidden = positive(cfg, "hidden_size", where);
    int heads = positive(cfg, "num_attention_heads", where);
    if (hidden % heads != 0) {
      throw Errors.encoderUnsupported(
          where, "num_attention_heads " + heads + " (must divide hidden_size " + hidden + ")");
    }
    return new BertConfig(
        positive(cfg, "vocab_size", where),
        hidden,
        positive(cfg, "num_hidden_layers", where),
        heads,
        positive(cfg, "intermediate_size", where),
        positive(cfg, "max_position_embeddings", where),
        cfg.hasNonNull("type_vocab_size") ? positive(cfg, "type_vocab_size", where) : 2,
        cfg.path("layer_norm_eps").asDouble(1e-12),
        cfg.path("pad_token_id").asInt(0));
  }

  private static int positive(JsonNode cfg, String field, String where) {
    JsonNode n = cfg.get(field);
    if (n == null || !n.canConvertToInt() || n.asInt() <= 0) {
      throw Errors.encoderUnsupported(
          where, "config.json without a positive " + field + " (got " + n + ")");
    }
    return n.asInt();
  }
}
