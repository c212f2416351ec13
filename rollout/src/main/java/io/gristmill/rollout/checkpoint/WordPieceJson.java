package io.gristmill.rollout.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a BERT WordPiece {@code tokenizer.json} (lower-casing {@code BertNormalizer}, {@code
 * BertPreTokenizer}, a {@code TemplateProcessing} post-processor adding {@code [CLS] ... [SEP]}):
 * ids 0-4 are {@code [PAD] [UNK] [CLS] [SEP] [MASK]}, then a fixed list of whole words, then the
 * single characters a-z, 0-9 and ASCII punctuation, then their {@code ##} continuations, so every
 * lower-case ASCII word is spelled by pieces and nothing common is {@code [UNK]}. Extra whole words
 * may be given (a benchmark gives the words of its texts, so that texts get about as many tokens as
 * a real BERT vocabulary gives them).
 */
final class WordPieceJson {
  static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
  static final int CLS = 2;
  static final int SEP = 3;

  /** Whole words of the vocabulary, after the specials. */
  static final List<String> WORDS =
      List.of(
          "the",
          "a",
          "an",
          "of",
          "to",
          "and",
          "in",
          "is",
          "it",
          "that",
          "for",
          "on",
          "with",
          "as",
          "was",
          "he",
          "she",
          "they",
          "we",
          "you",
          "i",
          "his",
          "her",
          "their",
          "at",
          "by",
          "from",
          "this",
          "be",
          "are",
          "have",
          "has",
          "had",
          "not",
          "but",
          "or",
          "what",
          "how",
          "many",
          "much",
          "each",
          "every",
          "if",
          "then",
          "so",
          "does",
          "did",
          "do",
          "will",
          "can",
          "more",
          "less",
          "than",
          "per",
          "day",
          "week",
          "year",
          "hour",
          "minute",
          "dollars",
          "cost",
          "total",
          "number",
          "sum",
          "find",
          "value",
          "function",
          "return",
          "list",
          "string",
          "write",
          "python",
          "given",
          "which",
          "following",
          "true",
          "false",
          "question",
          "answer",
          "cat",
          "dog",
          "apple",
          "apples",
          "buy",
          "buys",
          "sell",
          "sells",
          "eggs",
          "duck",
          "ducks",
          "market",
          "make",
          "makes",
          "two",
          "three",
          "four",
          "five",
          "ten",
          "half",
          "twice");

  private WordPieceJson() {}

  /** The vocabulary in id order; {@code extraWords} (lower case) follow the fixed words. */
  static Map<String, Integer> vocab(List<String> extraWords) {
    Map<String, Integer> v = new LinkedHashMap<>();
    SPECIALS.forEach(s -> v.put(s, v.size()));
    WORDS.forEach(s -> v.putIfAbsent(s, v.size()));
    extraWords.forEach(s -> v.putIfAbsent(s, v.size()));
    StringBuilder chars = new StringBuilder();
    for (char ch = 'a'; ch <= 'z'; ch++) {
      chars.append(ch);
    }
    for (char ch = '0'; ch <= '9'; ch++) {
      chars.append(ch);
    }
    for (char ch = '!'; ch <= '~'; ch++) {
      if (!Character.isLetterOrDigit(ch)) {
        chars.append(ch);
      }
    }
    for (int i = 0; i < chars.length(); i++) {
      v.putIfAbsent(String.valueOf(chars.charAt(i)), v.size());
    }
    for (int i = 0; i < chars.length(); i++) {
      if (Character.isLetterOrDigit(chars.charAt(i))) {
        v.putIfAbsent("##" + chars.charAt(i), v.size());
      }
    }
    return v;
  }

  static ObjectNode build(ObjectMapper json, List<String> extraWords) {
    Map<String, Integer> vocab = vocab(extraWords);
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < SPECIALS.size(); i++) {
      ObjectNode t = added.addObject();
      t.put("id", i);
      t.put("content", SPECIALS.get(i));
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    ObjectNode norm = root.putObject("normalizer");
    norm.put("type", "BertNormalizer");
    norm.put("clean_text", true);
    norm.put("handle_chinese_chars", true);
    norm.putNull("strip_accents");
    norm.put("lowercase", true);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    special(single, "[CLS]", 0);
    sequence(single, "A", 0);
    special(single, "[SEP]", 0);
    ArrayNode pair = post.putArray("pair");
    special(pair, "[CLS]", 0);
    sequence(pair, "A", 0);
    special(pair, "[SEP]", 0);
    sequence(pair, "B", 1);
    special(pair, "[SEP]", 1);
    ObjectNode st = post.putObject("special_tokens");
    for (String s : List.of("[CLS]", "[SEP]")) {
      ObjectNode n = st.putObject(s);
      n.put("id", s);
      n.putArray("ids").add(vocab.get(s));
      n.putArray("tokens").add(s);
    }
    ObjectNode dec = root.putObject("decoder");
    dec.put("type", "WordPiece");
    dec.put("prefix", "##");
    dec.put("cleanup", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordPiece");
    model.put("unk_token", "[UNK]");
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", 100);
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    return root;
  }

  private static void special(ArrayNode a, String id, int type) {
    ObjectNode n = a.addObject().putObject("SpecialToken");
    n.put("id", id);
    n.put("type_id", type);
  }

  private static void sequence(ArrayNode a, String id, int type) {
    ObjectNode n = a.addObject().putObject("Sequence");
    n.put("id", id);
    n.put("type_id", type);
  }
}
