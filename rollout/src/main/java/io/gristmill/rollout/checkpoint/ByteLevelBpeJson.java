package io.gristmill.rollout.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a byte-level BPE {@code tokenizer.json} (the GPT-2 byte alphabet, so every text encodes
 * and decodes exactly): ids 0-2 are {@code <pad>}, {@code <s>}, {@code </s>}; ids 3-258 the 256
 * byte symbols; the rest two-symbol merges in a fixed order (space and lower-case letters first).
 */
final class ByteLevelBpeJson {
  static final String[] SPECIALS = {"<pad>", "<s>", "</s>"};

  private ByteLevelBpeJson() {}

  static ObjectNode build(int vocabSize, ObjectMapper json) {
    String[] sym = byteSymbols();
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (String s : SPECIALS) {
      vocab.put(s, vocab.size());
    }
    for (int b = 0; b < 256; b++) {
      vocab.put(sym[b], vocab.size());
    }
    List<String> order = new ArrayList<>();
    order.add(sym[' ']);
    for (char c = 'a'; c <= 'z'; c++) {
      order.add(sym[c]);
    }
    for (int b = 0; b < 256; b++) {
      if (!order.contains(sym[b])) {
        order.add(sym[b]);
      }
    }
    List<String> merges = new ArrayList<>();
    outer:
    for (String a : order) {
      for (String b : order) {
        if (vocab.size() >= vocabSize) {
          break outer;
        }
        if (vocab.putIfAbsent(a + b, vocab.size()) == null) {
          merges.add(a + " " + b);
        }
      }
    }
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < SPECIALS.length; i++) {
      ObjectNode t = added.addObject();
      t.put("id", i);
      t.put("content", SPECIALS[i]);
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(json, false));
    root.putNull("post_processor");
    root.set("decoder", byteLevel(json, true));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    ArrayNode m = model.putArray("merges");
    merges.forEach(m::add);
    return root;
  }

  private static ObjectNode byteLevel(ObjectMapper json, boolean decoder) {
    ObjectNode n = json.createObjectNode();
    n.put("type", "ByteLevel");
    n.put("add_prefix_space", false);
    n.put("trim_offsets", true);
    n.put("use_regex", true);
    return n;
  }

  /** GPT-2's printable stand-in for each byte. */
  static String[] byteSymbols() {
    String[] out = new String[256];
    int n = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      out[b] = printable ? String.valueOf((char) b) : String.valueOf((char) (256 + n++));
    }
    return out;
  }
}
