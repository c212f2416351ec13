package io.gristmill.rollout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The character tokenizer of verl's test models ({@code tokenizer_config.json} with {@code
 * char_ords} and no {@code tokenizer.json}): ids 0-3 are the special tokens sep, eos, pad and unk;
 * the i-th listed character has id {@code 4 + i}.
 */
final class CharTableTokenizer implements TextTokenizer {
  private static final int SPECIALS = 4;
  private static final int UNK = 3;
  private final List<Integer> ords;
  private final Map<Integer, Integer> idOf = new HashMap<>();

  CharTableTokenizer(List<Integer> ords) {
    this.ords = List.copyOf(ords);
    for (int i = 0; i < ords.size(); i++) {
      idOf.put(ords.get(i), SPECIALS + i);
    }
  }

  @Override
  public int[] encode(String text, boolean addBos) {
    return text.codePoints().map(cp -> idOf.getOrDefault(cp, UNK)).toArray();
  }

  @Override
  public String decode(int[] ids, int previousId) {
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      if (id >= SPECIALS && id < SPECIALS + ords.size()) {
        sb.appendCodePoint(ords.get(id - SPECIALS));
      }
    }
    return sb.toString();
  }

  @Override
  public int vocabSize() {
    return SPECIALS + ords.size();
  }
}
