package io.gristmill.rollout;

import io.gristmill.core.Errors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The llama2.c tokenizer ({@code tokenizer.bin}: max token length, then per id a float merge score,
 * a byte length and UTF-8 bytes). Encoding follows llama2.c {@code run.c}: BOS, a dummy prefix
 * space for non-empty text, one piece per code point (byte-fallback ids {@code byte + 3}
 * otherwise), then repeated merges of the adjacent pair whose concatenation has the highest score.
 */
final class Llama2cTokenizer implements TextTokenizer {
  static final int BOS = 1;
  static final int EOS = 2;
  private static final int BYTE_OFFSET = 3;

  private final String[] pieces;
  private final float[] scores;
  private final Map<String, Integer> ids = new HashMap<>();

  Llama2cTokenizer(String[] pieces, float[] scores) {
    this.pieces = pieces;
    this.scores = scores;
    for (int i = 0; i < pieces.length; i++) {
      ids.putIfAbsent(pieces[i], i);
    }
  }

  static Llama2cTokenizer read(Path file, int vocabSize) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      buf.getInt(); // max token length, not needed
      String[] pieces = new String[vocabSize];
      float[] scores = new float[vocabSize];
      for (int i = 0; i < vocabSize; i++) {
        scores[i] = buf.getFloat();
        byte[] b = new byte[buf.getInt()];
        buf.get(b);
        pieces[i] = new String(b, StandardCharsets.UTF_8);
      }
      return new Llama2cTokenizer(pieces, scores);
    } catch (IOException | RuntimeException e) {
      throw Errors.resourceFailed("llama2.c tokenizer", file.toString(), e);
    }
  }

  @Override
  public int[] encode(String text, boolean addBos) {
    List<Integer> t = new ArrayList<>();
    if (!text.isEmpty()) {
      t.add(ids.get(" "));
    }
    text.codePoints()
        .forEach(
            cp -> {
              String s = new String(Character.toChars(cp));
              Integer id = ids.get(s);
              if (id != null) {
                t.add(id);
              } else {
                for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                  t.add((b & 0xff) + BYTE_OFFSET);
                }
              }
            });
    while (true) {
      float best = -1e10f;
      int bestId = -1;
      int bestAt = -1;
      for (int i = 0; i + 1 < t.size(); i++) {
        Integer id = ids.get(pieces[t.get(i)] + pieces[t.get(i + 1)]);
        if (id != null && scores[id] > best) {
          best = scores[id];
          bestId = id;
          bestAt = i;
        }
      }
      if (bestAt < 0) {
        break;
      }
      t.set(bestAt, bestId);
      t.remove(bestAt + 1);
    }
    int off = addBos ? 1 : 0;
    int[] out = new int[t.size() + off];
    if (addBos) {
      out[0] = BOS;
    }
    for (int i = 0; i < t.size(); i++) {
      out[i + off] = t.get(i);
    }
    return out;
  }

  @Override
  public String decode(int[] seq, int previousId) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int prev = previousId;
    for (int id : seq) {
      if (id == BOS || id == EOS || id == 0 || id < 0 || id >= pieces.length) {
        prev = id;
        continue;
      }
      String p = pieces[id];
      if (prev == BOS && p.startsWith(" ")) {
        p = p.substring(1);
      }
      if (id >= BYTE_OFFSET && id < BYTE_OFFSET + 256) {
        bytes.write(id - BYTE_OFFSET);
      } else {
        bytes.writeBytes(p.getBytes(StandardCharsets.UTF_8));
      }
      prev = id;
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public int vocabSize() {
    return pieces.length;
  }
}
