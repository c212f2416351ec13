package io.gristmill.curation.decontam;

import io.gristmill.curation.dedup.near.WordShingler;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Word n-gram hashes of benchmark items, as sorted parallel arrays (compact to broadcast, binary
 * searched). Items with fewer than n words are not indexed (counted in {@link #unindexedItems()});
 * n-grams shared by more than {@code maxItemFrequency} items are boilerplate and dropped.
 * Immutable.
 */
public final class NgramIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Decontamination n-grams are hashed with their own fixed seed, independent of near-dedup. */
  public static final long SEED = 0x5EEDL;

  private final int n;
  private final long[] keys;
  private final int[] itemOf;
  private final String[] benchmark;
  private final String[] item;
  private final int[] ngramCount;
  private final long boilerplate;
  private final Map<String, Integer> unindexed;

  private NgramIndex(
      int n,
      long[] keys,
      int[] itemOf,
      String[] benchmark,
      String[] item,
      int[] ngramCount,
      long boilerplate,
      Map<String, Integer> unindexed) {
    this.n = n;
    this.keys = keys;
    this.itemOf = itemOf;
    this.benchmark = benchmark;
    this.item = item;
    this.ngramCount = ngramCount;
    this.boilerplate = boilerplate;
    this.unindexed = unindexed;
  }

  public static NgramIndex build(List<BenchmarkItem> items, int n, int maxItemFrequency) {
    Map<Long, List<Integer>> posting = new HashMap<>();
    List<BenchmarkItem> indexed = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    Map<String, Integer> unindexed = new TreeMap<>();
    for (BenchmarkItem it : items) {
      List<String> words = WordShingler.words(it.text());
      if (words.size() < n) {
        unindexed.merge(it.benchmark(), 1, Integer::sum);
        continue;
      }
      int idx = indexed.size();
      indexed.add(it);
      long[] hs = WordShingler.shingles(words, n, SEED).hashes();
      counts.add(hs.length);
      for (long h : hs) {
        posting.computeIfAbsent(h, k -> new ArrayList<>(1)).add(idx);
      }
    }
    long dropped = 0;
    List<long[]> entries = new ArrayList<>();
    for (Map.Entry<Long, List<Integer>> e : posting.entrySet()) {
      if (e.getValue().size() > maxItemFrequency) {
        dropped++;
        continue;
      }
      for (int i : e.getValue()) {
        entries.add(new long[] {e.getKey(), i});
      }
    }
    entries.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    long[] keys = new long[entries.size()];
    int[] itemOf = new int[entries.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = entries.get(i)[0];
      itemOf[i] = (int) entries.get(i)[1];
    }
    String[] bench = new String[indexed.size()];
    String[] ids = new String[indexed.size()];
    int[] nc = new int[indexed.size()];
    for (int i = 0; i < bench.length; i++) {
      bench[i] = indexed.get(i).benchmark();
      ids[i] = indexed.get(i).item();
      nc[i] = counts.get(i);
    }
    return new NgramIndex(n, keys, itemOf, bench, ids, nc, dropped, unindexed);
  }

  public int ngram() {
    return n;
  }

  /** Number of (n-gram, item) entries. */
  public int size() {
    return keys.length;
  }

  public int indexedItems() {
    return benchmark.length;
  }

  /** Distinct n-grams dropped as boilerplate. */
  public long boilerplateNgrams() {
    return boilerplate;
  }

  /** Items shorter than n words, per benchmark. */
  public Map<String, Integer> unindexedItems() {
    return unindexed;
  }

  /**
   * The items sharing n-grams with a set of distinct n-gram hashes, with the fraction of each
   * item's n-grams found; only fractions {@code >= minOverlap} (and at least one n-gram). Sorted by
   * overlap (highest first), then benchmark, then item.
   */
  public List<Match> match(long[] distinctHashes, double minOverlap) {
    Map<Integer, Integer> hits = new HashMap<>();
    for (long h : distinctHashes) {
      int i = Arrays.binarySearch(keys, h);
      if (i < 0) {
        continue;
      }
      while (i > 0 && keys[i - 1] == h) {
        i--;
      }
      for (; i < keys.length && keys[i] == h; i++) {
        hits.merge(itemOf[i], 1, Integer::sum);
      }
    }
    List<Match> out = new ArrayList<>();
    for (Map.Entry<Integer, Integer> e : hits.entrySet()) {
      int it = e.getKey();
      double overlap = (double) e.getValue() / ngramCount[it];
      if (overlap >= minOverlap) {
        out.add(new Match(benchmark[it], item[it], overlap));
      }
    }
    out.sort(
        (a, b) ->
            a.overlap() != b.overlap()
                ? Double.compare(b.overlap(), a.overlap())
                : a.benchmark().equals(b.benchmark())
                    ? a.item().compareTo(b.item())
                    : a.benchmark().compareTo(b.benchmark()));
    return out;
  }

  /** A sample's match with one benchmark item. */
  public record Match(String benchmark, String item, double overlap) implements Serializable {}
}
