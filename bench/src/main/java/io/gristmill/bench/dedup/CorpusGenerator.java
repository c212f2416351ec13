package io.gristmill.bench.dedup;

import io.gristmill.curation.dedup.near.Jaccard;
import io.gristmill.curation.dedup.near.WordShingler;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic corpus: document {@code i} depends only on (seed, i). One document in
 * {@code dupEvery} is a planted near-duplicate of an earlier base document, made by {@code k} word
 * substitutions (k drawn so the 5-gram Jaccard spreads over about 0.4..1.0); its exact Jaccard with
 * the original is recorded as the label. Base documents join two windows of real passages.
 */
final class CorpusGenerator implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String[] passages;
  private final long seed;
  private final int dupEvery;

  CorpusGenerator(List<String> pool, long seed, int dupEvery) {
    this.passages = pool.toArray(new String[0]);
    this.seed = seed;
    this.dupEvery = dupEvery;
  }

  boolean isPlanted(long i) {
    return i % dupEvery == dupEvery - 1;
  }

  /** The base document a planted duplicate copies: an earlier, non-planted row. */
  long originalOf(long i) {
    SplittableRandom r = new SplittableRandom(seed * 31 + i);
    long j = i - 1 - r.nextLong(Math.min(i, 50_000L));
    while (isPlanted(j)) {
      j--;
    }
    return j;
  }

  String text(long i) {
    return isPlanted(i) ? edited(i) : base(i);
  }

  private String base(long i) {
    SplittableRandom r = new SplittableRandom(seed ^ (i * 0x9E3779B97F4A7C15L));
    StringBuilder sb = new StringBuilder();
    for (int part = 0; part < 2; part++) {
      String[] p = passages[r.nextInt(passages.length)].split("\\s+");
      int len = Math.min(p.length, 20 + r.nextInt(60));
      int start = p.length == len ? 0 : r.nextInt(p.length - len);
      for (int w = start; w < start + len; w++) {
        sb.append(p[w]).append(' ');
      }
    }
    return sb.toString().trim();
  }

  private String edited(long i) {
    String[] w = base(originalOf(i)).split(" ");
    SplittableRandom r = new SplittableRandom(seed * 17 + i);
    int maxEdits = Math.max(1, w.length / 12);
    int k = r.nextInt(maxEdits + 1);
    for (int e = 0; e < k; e++) {
      w[r.nextInt(w.length)] = "edit" + r.nextInt(1_000_000);
    }
    return String.join(" ", Arrays.asList(w));
  }

  /** Exact 5-gram Jaccard of a planted duplicate with its original (the label). */
  double plantedJaccard(long i, int ngram) {
    long[] a = WordShingler.shingles(text(i), ngram, 1).hashes();
    long[] b = WordShingler.shingles(text(originalOf(i)), ngram, 1).hashes();
    return Jaccard.exact(a, b);
  }

  static List<String> sampleTexts(CorpusGenerator g, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(g.text(i));
    }
    return out;
  }
}
