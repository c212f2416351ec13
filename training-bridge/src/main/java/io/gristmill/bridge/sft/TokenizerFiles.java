package io.gristmill.bridge.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.Errors;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What SFT tokenization needs from a model folder, read once on the driver and shipped to the
 * executors: the {@code tokenizer.json} path (each executor loads it), the chat template source and
 * its special tokens from {@code tokenizer_config.json}, and the tokenizer's unknown token.
 *
 * @param tokenizerJson the absolute path of {@code tokenizer.json}
 * @param templateSource where the template came from (a file path, or {@code builtin})
 * @param template the Jinja chat template
 * @param bos {@code bos_token} as the template sees it, or null
 * @param eos {@code eos_token}, or null
 * @param sep {@code sep_token}, or null
 * @param unknownToken the unknown token's text, or null when the tokenizer has none (byte-level
 *     BPE)
 * @param unknownId its id, or -1 when there is none
 */
public record TokenizerFiles(
    String tokenizerJson,
    String templateSource,
    String template,
    String bos,
    String eos,
    String sep,
    String unknownToken,
    int unknownId)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String CONFIG = "export config";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Gristmill's own template, used only with {@code chat_template: builtin}: each turn is {@code
   * <|role|>} + content + {@code <|end|>}; the generation prompt is {@code <|assistant|>}, so an
   * assistant turn's content and its {@code <|end|>} are trained.
   */
  public static final String BUILTIN_TEMPLATE =
      "{% for message in messages %}{{ '<|' + message['role'] + '|>' + message['content'] +"
          + " '<|end|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{%"
          + " endif %}";

  /**
   * Reads the files {@code o} names. Fails with a config error (exit 2) when no tokenizer is set,
   * the files are missing, or {@code chat_template: model} finds no template.
   */
  public static TokenizerFiles load(SftOptions o) {
    if (o.tokenizer() == null) {
      throw Errors.configMissingKey(CONFIG, "sft.tokenizer");
    }
    Path given = Paths.get(o.tokenizer()).toAbsolutePath().normalize();
    Path tokenizer = Files.isDirectory(given) ? given.resolve("tokenizer.json") : given;
    if (!Files.isRegularFile(tokenizer)) {
      throw Errors.configInvalidValue(
          CONFIG,
          "sft.tokenizer",
          o.tokenizer(),
          "the model's tokenizer.json or a model folder holding one ("
              + tokenizer
              + " is not a"
              + " file)");
    }
    Path config =
        o.tokenizerConfig() != null
            ? Paths.get(o.tokenizerConfig()).toAbsolutePath().normalize()
            : tokenizer.resolveSibling("tokenizer_config.json");
    if (o.tokenizerConfig() != null && !Files.isRegularFile(config)) {
      throw Errors.configInvalidValue(
          CONFIG, "sft.tokenizer_config", o.tokenizerConfig(), "an existing tokenizer_config.json");
    }
    JsonNode cfg = Files.isRegularFile(config) ? read(config) : JSON.createObjectNode();
    String template;
    String source;
    if (o.chatTemplate().equals("builtin")) {
      template = BUILTIN_TEMPLATE;
      source = "builtin";
    } else {
      if (!Files.isRegularFile(config)) {
        throw Errors.configInvalidValue(
            CONFIG,
            "sft.chat_template",
            "model",
            "a tokenizer_config.json with the model's chat_template beside "
                + tokenizer
                + " (or set sft.tokenizer_config), or chat_template: builtin to use Gristmill's"
                + " <|role|> template");
      }
      template = chatTemplate(cfg);
      if (template == null) {
        throw Errors.configInvalidValue(
            CONFIG,
            "sft.chat_template",
            "model",
            "a chat_template in "
                + config
                + " (it has none); set chat_template: builtin to use Gristmill's <|role|>"
                + " template");
      }
      source = config.toString();
    }
    JsonNode tok = read(tokenizer);
    String unk = unknownToken(tok);
    int unkId = unknownId(tok, unk);
    return new TokenizerFiles(
        tokenizer.toString(),
        source,
        template,
        special(cfg, "bos_token"),
        special(cfg, "eos_token"),
        special(cfg, "sep_token"),
        unkId < 0 ? null : unk,
        unkId);
  }

  /** A template given as text, or the {@code default} of a named list of templates. */
  static String chatTemplate(JsonNode cfg) {
    JsonNode t = cfg.get("chat_template");
    if (t == null || t.isNull()) {
      return null;
    }
    if (t.isTextual()) {
      return t.asText();
    }
    if (t.isArray()) {
      String first = null;
      for (JsonNode n : t) {
        String text = n.path("template").asText(null);
        if (first == null) {
          first = text;
        }
        if ("default".equals(n.path("name").asText())) {
          return text;
        }
      }
      return first;
    }
    return null;
  }

  /** A special token given as text or as an added-token object ({@code {"content": ...}}). */
  static String special(JsonNode cfg, String key) {
    JsonNode n = cfg.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    return n.isTextual() ? n.asText() : n.path("content").asText(null);
  }

  static String unknownToken(JsonNode tok) {
    JsonNode model = tok.path("model");
    JsonNode unk = model.get("unk_token");
    if (unk != null && unk.isTextual()) {
      return unk.asText();
    }
    JsonNode unkId = model.get("unk_id");
    JsonNode vocab = model.get("vocab");
    if (unkId != null && unkId.isInt() && vocab != null && vocab.isArray()) {
      JsonNode entry = vocab.get(unkId.asInt());
      return entry == null ? null : entry.path(0).asText(null);
    }
    return null;
  }

  static int unknownId(JsonNode tok, String unk) {
    JsonNode model = tok.path("model");
    if (model.path("unk_id").isInt()) {
      return model.get("unk_id").asInt();
    }
    if (unk == null) {
      return -1;
    }
    JsonNode vocab = model.get("vocab");
    if (vocab != null && vocab.isObject() && vocab.path(unk).isInt()) {
      return vocab.get(unk).asInt();
    }
    for (JsonNode a : tok.path("added_tokens")) {
      if (unk.equals(a.path("content").asText())) {
        return a.path("id").asInt();
      }
    }
    return -1;
  }

  private static JsonNode read(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw Errors.resourceFailed("tokenizer file", p.toString(), e);
    }
  }

  /** One line for summaries and error messages. */
  public String describe() {
    return tokenizerJson
        + " (chat template: "
        + templateSource
        + ", unknown token: "
        + (unknownToken == null ? "none" : "'" + unknownToken + "' id " + unknownId)
        + ")";
  }
}
