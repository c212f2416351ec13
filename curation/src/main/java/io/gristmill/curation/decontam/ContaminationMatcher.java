package io.gristmill.curation.decontam;

import io.gristmill.core.record.Message;
import io.gristmill.curation.dedup.near.WordShingler;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Checks one conversation against an {@link NgramIndex}: the n-grams of every checked turn (turns
 * are shingled separately, so no n-gram spans two turns) are looked up together.
 */
public final class ContaminationMatcher implements Serializable {
  private static final long serialVersionUID = 1L;
  private final NgramIndex index;
  private final DecontaminationConfig cfg;

  public ContaminationMatcher(NgramIndex index, DecontaminationConfig cfg) {
    this.index = index;
    this.cfg = cfg;
  }

  /** The benchmark items this conversation matches; empty when clean. */
  public List<NgramIndex.Match> match(List<Message> messages) {
    long[] all = new long[0];
    for (Message m : messages) {
      if (!cfg.checks(m.role())) {
        continue;
      }
      List<String> words = WordShingler.words(m.content());
      if (words.size() < index.ngram()) {
        continue;
      }
      long[] hs = WordShingler.shingles(words, index.ngram(), NgramIndex.SEED).hashes();
      long[] merged = Arrays.copyOf(all, all.length + hs.length);
      System.arraycopy(hs, 0, merged, all.length, hs.length);
      all = merged;
    }
    if (all.length == 0) {
      return List.of();
    }
    long[] distinct = Arrays.stream(all).sorted().distinct().toArray();
    return index.match(distinct, cfg.minOverlap());
  }
}
