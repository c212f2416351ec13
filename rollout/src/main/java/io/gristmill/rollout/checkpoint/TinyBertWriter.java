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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a random-weight BERT sentence encoder in HuggingFace format, for tests and benchmarks of
 * {@code io.gristmill.rollout.encoder.BertEncoder}: {@code config.json} ({@code BertModel}, gelu,
 * absolute positions), {@code model.safetensors} (float32; names as {@code BertModel} saves them,
 * or with the {@code bert.} prefix of {@code BertFor*} checkpoints), and a WordPiece {@code
 * tokenizer.json} it builds ({@link WordPieceJson}). Matrices and biases are uniform with std 0.02
 * from a SplittableRandom seeded by the spec, LayerNorm weights ones and biases zeros: the same
 * spec gives the same files.
 */
public final class TinyBertWriter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TinyBertWriter() {}

  /**
   * The shape of the checkpoint.
   *
   * @param vocabSize embedding rows; at least the tokenizer's vocabulary ({@link #tokenizerVocab})
   * @param prefixed write tensor names with the {@code bert.} prefix
   */
  public record Spec(
      int vocabSize,
      int hidden,
      int layers,
      int heads,
      int intermediate,
      int maxPositions,
      long seed,
      boolean prefixed) {
    public Spec {
      if (vocabSize < tokenizerVocab()) {
        throw Errors.invalidValue(
            "vocab_size", vocabSize, "at least the tokenizer's " + tokenizerVocab());
      }
      if (hidden < 1 || heads < 1 || hidden % heads != 0) {
        throw Errors.invalidValue("heads", heads, "a divisor of hidden " + hidden);
      }
      if (layers < 1 || intermediate < 1 || maxPositions < 3) {
        throw Errors.invalidValue(
            "layers/intermediate/max_positions",
            layers + "/" + intermediate + "/" + maxPositions,
            "positive sizes (max_positions at least 3)");
      }
    }

    /** A ~40K-parameter test encoder (hidden 32, 2 layers, 4 heads, 64 positions). */
    public static Spec tiny() {
      return new Spec(tokenizerVocab(), 32, 2, 4, 64, 64, 7L, false);
    }

    /** BERT-base width (hidden 768, 12 heads, intermediate 3072, vocab 30522, 512 positions). */
    public static Spec baseWidth(int layers) {
      return new Spec(30522, 768, layers, 12, 3072, 512, 11L, false);
    }

    public Spec withVocabSize(int v) {
      return new Spec(v, hidden, layers, heads, intermediate, maxPositions, seed, prefixed);
    }

    public Spec withPrefix(boolean p) {
      return new Spec(vocabSize, hidden, layers, heads, intermediate, maxPositions, seed, p);
    }
  }

  /** Tokens of the written {@code tokenizer.json}. */
  public static int tokenizerVocab() {
    return tokenizerVocab(List.of());
  }

  /** Tokens of the {@code tokenizer.json} written with {@code extraWords}. */
  public static int tokenizerVocab(List<String> extraWords) {
    return WordPieceJson.vocab(extraWords).size();
  }

  public static void write(Path dir, Spec s) {
    write(dir, s, List.of());
  }

  /**
   * As {@link #write(Path, Spec)}, with {@code extraWords} (lower case) as whole words of the
   * tokenizer; {@code s.vocabSize()} must cover them.
   */
  public static void write(Path dir, Spec s, List<String> extraWords) {
    if (s.vocabSize() < tokenizerVocab(extraWords)) {
      throw Errors.invalidValue(
          "vocab_size", s.vocabSize(), "at least the tokenizer's " + tokenizerVocab(extraWords));
    }
    try {
      Files.createDirectories(dir);
      JSON.writeValue(dir.resolve("config.json").toFile(), config(s));
      JSON.writeValue(
          dir.resolve("tokenizer.json").toFile(), WordPieceJson.build(JSON, extraWords));
      ObjectNode tc = JSON.createObjectNode();
      tc.put("do_lower_case", true).put("model_max_length", s.maxPositions());
      tc.put("cls_token", "[CLS]").put("sep_token", "[SEP]").put("pad_token", "[PAD]");
      tc.put("unk_token", "[UNK]").put("mask_token", "[MASK]");
      tc.put("tokenizer_class", "BertTokenizer");
      JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), tc);
      Safetensors.write(dir.resolve("model.safetensors"), weights(s), "F32");
    } catch (IOException e) {
      throw Errors.outputFailed("checkpoint", dir.toString(), e);
    }
  }

  private static ObjectNode config(Spec s) {
    ObjectNode c = JSON.createObjectNode();
    c.putArray("architectures").add("BertModel");
    c.put("model_type", "bert");
    c.put("vocab_size", s.vocabSize());
    c.put("hidden_size", s.hidden());
    c.put("num_hidden_layers", s.layers());
    c.put("num_attention_heads", s.heads());
    c.put("intermediate_size", s.intermediate());
    c.put("max_position_embeddings", s.maxPositions());
    c.put("type_vocab_size", 2);
    c.put("layer_norm_eps", 1e-12);
    c.put("hidden_act", "gelu");
    c.put("hidden_dropout_prob", 0.1).put("attention_probs_dropout_prob", 0.1);
    c.put("initializer_range", 0.02);
    c.put("position_embedding_type", "absolute");
    c.put("pad_token_id", 0);
    c.put("torch_dtype", "float32");
    return c;
  }

  private static Map<String, Safetensors.Tensor> weights(Spec s) {
    SplittableRandom rng = new SplittableRandom(s.seed());
    String pre = s.prefixed() ? "bert." : "";
    int h = s.hidden();
    Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
    String e = pre + "embeddings.";
    TinyCheckpointWriter.add(t, e + "word_embeddings.weight", rng, s.vocabSize(), h);
    TinyCheckpointWriter.add(t, e + "position_embeddings.weight", rng, s.maxPositions(), h);
    TinyCheckpointWriter.add(t, e + "token_type_embeddings.weight", rng, 2, h);
    norm(t, e + "LayerNorm.", h);
    for (int i = 0; i < s.layers(); i++) {
      String p = pre + "encoder.layer." + i + ".";
      for (String m : new String[] {"query", "key", "value"}) {
        dense(t, p + "attention.self." + m + ".", rng, h, h);
      }
      dense(t, p + "attention.output.dense.", rng, h, h);
      norm(t, p + "attention.output.LayerNorm.", h);
      dense(t, p + "intermediate.dense.", rng, s.intermediate(), h);
      dense(t, p + "output.dense.", rng, h, s.intermediate());
      norm(t, p + "output.LayerNorm.", h);
    }
    return t;
  }

  private static void dense(
      Map<String, Safetensors.Tensor> t, String p, SplittableRandom rng, int out, int in) {
    TinyCheckpointWriter.add(t, p + "weight", rng, out, in);
    TinyCheckpointWriter.add(t, p + "bias", rng, out, -1);
  }

  private static void norm(Map<String, Safetensors.Tensor> t, String p, int h) {
    TinyCheckpointWriter.add(t, p + "weight", null, h, -1);
    t.put(p + "bias", new Safetensors.Tensor(new long[] {h}, new float[h]));
  }
}
