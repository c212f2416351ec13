package io.gristmill.curation.decontam.paraphrase;

import io.gristmill.curation.decontam.BenchmarkItem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark items in a representation that survives rewording (see {@link Terms}), for candidate
 * retrieval on the executors: idf weights from the benchmark items, and an inverted index of the
 * rare terms only (those in at most {@code max_df} of the items), so that a turn touches few
 * postings. A turn's candidates are ranked by <em>containment</em>: the idf mass of the item's
 * terms found in the turn over the item's total, so an item embedded in a longer message still
 * scores 1. Built on the driver, broadcast, immutable.
 */
public final class ParaphraseIndex implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<double[]> SCRATCH = new ThreadLocal<>();

  final Entry[] entries;
  private final Map<String, Double> idf;
  private final Map<String, int[]> postings;

  private ParaphraseIndex(Entry[] entries, Map<String, Double> idf, Map<String, int[]> postings) {
    this.entries = entries;
    this.idf = idf;
    this.postings = postings;
  }

  /** One item with what its verifier needs. */
  static final class Entry implements Serializable {
    private static final long serialVersionUID = 1L;
    final BenchmarkItem item;
    final String[] terms;
    final double[] numbers;
    final String[] asked;
    final Profile.Signature signature;
    final String[] questionTerms;
    final String[][] optionTerms;
    final double[][] optionNumbers;

    Entry(BenchmarkItem item, Map<String, String> intern) {
      this.item = item;
      Profile p = Profile.of(item.text());
      this.terms = interned(p.terms, intern);
      this.numbers = p.numbers;
      this.asked = interned(p.asked, intern);
      this.signature = p.signatures.isEmpty() ? null : p.signatures.get(p.signatures.size() - 1);
      if ("choice".equals(item.kind()) && item.parts().size() > 1) {
        this.questionTerms = interned(Terms.termSet(item.parts().get(0)), intern);
        int n = item.parts().size() - 1;
        this.optionTerms = new String[n][];
        this.optionNumbers = new double[n][];
        for (int i = 0; i < n; i++) {
          String o = item.parts().get(i + 1);
          this.optionTerms[i] = interned(Set.copyOf(Terms.words(o)), intern);
          this.optionNumbers[i] = Profile.distinct(NumberNormalizer.numbers(o));
        }
      } else {
        this.questionTerms = this.terms;
        this.optionTerms = new String[0][];
        this.optionNumbers = new double[0][];
      }
    }

    private static String[] interned(Set<String> s, Map<String, String> intern) {
      String[] out = new String[s.size()];
      int i = 0;
      for (String t : s) {
        out[i++] = intern.computeIfAbsent(t, k -> k);
      }
      return out;
    }
  }

  /** Idf-weighted fraction of the turn's indexed terms that are among {@code of}. */
  double coverage(String[] of, Set<String> turn) {
    return containment(turn.toArray(new String[0]), Set.of(of))[0];
  }

  /** A retrieved candidate: the entry and its containment score. */
  record Candidate(Entry entry, double score, double info) {}

  public static ParaphraseIndex build(List<BenchmarkItem> given, ParaphraseConfig cfg) {
    List<BenchmarkItem> items = new ArrayList<>(given.size());
    for (BenchmarkItem it : given) {
      items.add(it);
      BenchmarkItem q = questionOnly(it);
      if (q != null) {
        items.add(q);
      }
    }
    Map<String, String> intern = new HashMap<>();
    Entry[] entries = new Entry[items.size()];
    Map<String, Integer> df = new HashMap<>();
    for (int i = 0; i < entries.length; i++) {
      entries[i] = new Entry(items.get(i), intern);
      for (String t : entries[i].terms) {
        df.merge(t, 1, Integer::sum);
      }
    }
    int n = Math.max(1, entries.length);
    Map<String, Double> idf = new HashMap<>(df.size() * 2);
    for (Map.Entry<String, Integer> e : df.entrySet()) {
      idf.put(e.getKey(), Math.log((n + 1.0) / (e.getValue() + 0.5)));
    }
    int maxDf = Math.max(2, (int) Math.floor(cfg.maxDf() * n));
    Map<String, List<Integer>> post = new HashMap<>();
    for (int i = 0; i < entries.length; i++) {
      for (String t : entries[i].terms) {
        if (df.get(t) <= maxDf) {
          post.computeIfAbsent(t, k -> new ArrayList<>(2)).add(i);
        }
      }
    }
    Map<String, int[]> postings = new HashMap<>(post.size() * 2);
    post.forEach((k, v) -> postings.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    return new ParaphraseIndex(entries, idf, postings);
  }

  /**
   * A multiple-choice item whose question part has a passage before its last sentence is also
   * indexed by that last sentence alone (same benchmark and id), so that a rephrased question
   * without its passage is still retrieved.
   */
  static BenchmarkItem questionOnly(BenchmarkItem it) {
    if (!"choice".equals(it.kind()) || it.parts().size() < 2) {
      return null;
    }
    String q = it.parts().get(0).strip();
    // The last sentence: after the last '.', '?', '!', ':' or newline that is not at the end.
    int end = q.length();
    while (end > 0 && ".?!: \n".indexOf(q.charAt(end - 1)) >= 0) {
      end--;
    }
    int cut = -1;
    for (int i = end - 1; i >= 0; i--) {
      if (".?!:\n".indexOf(q.charAt(i)) >= 0) {
        cut = i;
        break;
      }
    }
    if (cut <= 0) {
      return null;
    }
    String last = q.substring(cut + 1).strip();
    if (last.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>(it.parts());
    parts.set(0, last);
    return new BenchmarkItem(it.benchmark(), it.item(), String.join("\n", parts), parts, it.kind());
  }

  public int size() {
    return entries.length;
  }

  /** Distinct terms that retrieve candidates. */
  public int rareTerms() {
    return postings.size();
  }

  double idf(String term) {
    Double v = idf.get(term);
    return v == null ? 0.0 : v;
  }

  /** Idf-weighted fraction of {@code of} found in {@code in}; [score, matched idf mass]. */
  double[] containment(String[] of, Set<String> in) {
    double total = 0;
    double found = 0;
    for (String t : of) {
      double w = idf(t);
      total += w;
      if (in.contains(t)) {
        found += w;
      }
    }
    return new double[] {total == 0 ? 0 : found / total, found};
  }

  /**
   * The best {@code topK} items whose containment in the turn is at least {@code floor}, best
   * first.
   */
  List<Candidate> candidates(Set<String> turnTerms, int topK, double floor) {
    double[] acc = SCRATCH.get();
    if (acc == null || acc.length < entries.length) {
      acc = new double[entries.length];
      SCRATCH.set(acc);
    }
    int[] touched = new int[64];
    int nt = 0;
    for (String t : turnTerms) {
      int[] ps = postings.get(t);
      if (ps == null) {
        continue;
      }
      double w = idf(t);
      for (int i : ps) {
        if (acc[i] == 0) {
          if (nt == touched.length) {
            touched = Arrays.copyOf(touched, nt * 2);
          }
          touched[nt++] = i;
        }
        acc[i] += w;
      }
    }
    if (nt == 0) {
      return List.of();
    }
    // Rank by the rare-term mass, then score the best few exactly.
    final double[] a = acc;
    Integer[] order = new Integer[nt];
    for (int i = 0; i < nt; i++) {
      order[i] = touched[i];
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -a[i]));
    List<Candidate> out = new ArrayList<>();
    int limit = Math.min(nt, topK * 4);
    for (int r = 0; r < limit; r++) {
      Entry e = entries[order[r]];
      double[] c = containment(e.terms, turnTerms);
      if (c[0] >= floor) {
        out.add(new Candidate(e, c[0], c[1]));
      }
    }
    for (int i = 0; i < nt; i++) {
      acc[touched[i]] = 0;
    }
    out.sort(Comparator.comparingDouble((Candidate c) -> -c.score()));
    return out.size() > topK ? out.subList(0, topK) : out;
  }
}
