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

  /** Term id per benchmark term; the arrays below are indexed by it. */
  private final HashMap<String, Integer> ids;

  private final double[] idf;

  /** The items a rare term is in; null for common terms (they only count in the score). */
  private final int[][] postings;

  private final int rare;

  private ParaphraseIndex(
      Entry[] entries, HashMap<String, Integer> ids, double[] idf, int[][] postings, int rare) {
    this.entries = entries;
    this.ids = ids;
    this.idf = idf;
    this.postings = postings;
    this.rare = rare;
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

    /** Term ids of {@link #terms}, {@link #questionTerms}, {@link #optionTerms}, same order. */
    int[] termIds;

    int[] questionIds;
    int[][] optionIds;

    /** Idf mass of {@link #terms}. */
    double total;

    Entry(BenchmarkItem item, Map<String, String> intern) {
      this.item = item;
      Profile p = Profile.of(item.text());
      this.terms = interned(p.terms, intern);
      this.numbers = p.numbers;
      this.asked = interned(p.asked(), intern);
      List<Profile.Signature> sigs = p.signatures();
      this.signature = sigs.isEmpty() ? null : sigs.get(sigs.size() - 1);
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

  /**
   * A checked text as the index sees it: the ids of its terms that some item has, in the text's
   * order, and the same ids sorted (for membership tests). Terms no item has weigh nothing.
   */
  static final class Query {
    final Profile profile;
    final int[] ids;
    final int[] sorted;

    /** Idf mass of {@link #ids}. */
    final double mass;

    Query(Profile profile, int[] ids, double mass) {
      this.profile = profile;
      this.ids = ids;
      this.sorted = ids.clone();
      Arrays.sort(this.sorted);
      this.mass = mass;
    }

    boolean has(int id) {
      return Arrays.binarySearch(sorted, id) >= 0;
    }
  }

  /** The query of one profiled text. */
  Query query(Profile p) {
    int[] out = new int[p.terms.size()];
    int n = 0;
    double mass = 0;
    for (String t : p.terms) {
      Integer id = ids.get(t);
      if (id != null) {
        out[n++] = id;
        mass += idf[id];
      }
    }
    return new Query(p, n == out.length ? out : Arrays.copyOf(out, n), mass);
  }

  /** Idf-weighted fraction of the turn's indexed terms that are among {@code of}. */
  double coverage(int[] of, Query turn) {
    if (turn.ids.length == 0) {
      return 0;
    }
    int[] mine = of.clone();
    Arrays.sort(mine);
    double total = 0;
    double found = 0;
    for (int id : turn.ids) {
      double w = idf[id];
      total += w;
      if (Arrays.binarySearch(mine, id) >= 0) {
        found += w;
      }
    }
    return total == 0 ? 0 : found / total;
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
    HashMap<String, Integer> ids = new HashMap<>();
    List<int[]> dfs = new ArrayList<>();
    for (int i = 0; i < entries.length; i++) {
      entries[i] = new Entry(items.get(i), intern);
      entries[i].termIds = new int[entries[i].terms.length];
      for (int j = 0; j < entries[i].terms.length; j++) {
        Integer id = ids.get(entries[i].terms[j]);
        if (id == null) {
          id = ids.size();
          ids.put(entries[i].terms[j], id);
          dfs.add(new int[1]);
        }
        entries[i].termIds[j] = id;
        dfs.get(id)[0]++;
      }
    }
    int n = Math.max(1, entries.length);
    double[] idf = new double[ids.size()];
    for (int t = 0; t < idf.length; t++) {
      idf[t] = Math.log((n + 1.0) / (dfs.get(t)[0] + 0.5));
    }
    int maxDf = Math.max(2, (int) Math.floor(cfg.maxDf() * n));
    int[][] postings = new int[idf.length][];
    int[] fill = new int[idf.length];
    int rare = 0;
    for (int t = 0; t < idf.length; t++) {
      if (dfs.get(t)[0] <= maxDf) {
        postings[t] = new int[dfs.get(t)[0]];
        rare++;
      }
    }
    for (int i = 0; i < entries.length; i++) {
      Entry e = entries[i];
      double total = 0;
      for (int id : e.termIds) {
        total += idf[id];
        if (postings[id] != null) {
          postings[id][fill[id]++] = i;
        }
      }
      e.total = total;
      e.questionIds = e.questionTerms == e.terms ? e.termIds : idsOf(e.questionTerms, ids);
      e.optionIds = new int[e.optionTerms.length][];
      for (int o = 0; o < e.optionTerms.length; o++) {
        e.optionIds[o] = idsOf(e.optionTerms[o], ids);
      }
    }
    return new ParaphraseIndex(entries, ids, idf, postings, rare);
  }

  /** Ids of terms; a term no item's full text has gets -1 (it weighs nothing). */
  private static int[] idsOf(String[] terms, Map<String, Integer> ids) {
    int[] out = new int[terms.length];
    for (int i = 0; i < terms.length; i++) {
      Integer id = ids.get(terms[i]);
      out[i] = id == null ? -1 : id;
    }
    return out;
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
    return rare;
  }

  /** Idf-weighted fraction of {@code of} found in {@code in}; [score, matched idf mass]. */
  double[] containment(int[] of, Query in) {
    double total = 0;
    double found = 0;
    for (int t : of) {
      if (t < 0) {
        continue;
      }
      double w = idf[t];
      total += w;
      if (in.has(t)) {
        found += w;
      }
    }
    return new double[] {total == 0 ? 0 : found / total, found};
  }

  /** One entry scored against a query, as {@link #candidates} scores it. */
  Candidate score(Entry e, Query q) {
    double found = 0;
    for (int id : e.termIds) {
      if (q.has(id)) {
        found += idf[id];
      }
    }
    return new Candidate(e, e.total == 0 ? 0 : found / e.total, found);
  }

  /** As {@link #candidates(Query, int, double)} for a text's profile. */
  List<Candidate> candidates(Profile turn, int topK, double floor) {
    return candidates(query(turn), topK, floor);
  }

  /**
   * The best {@code topK} items whose containment in the turn is at least {@code floor}, best
   * first. Items are ranked by the idf mass of the rare terms they share with the turn; the best
   * {@code 4 * topK} of those are scored exactly.
   */
  List<Candidate> candidates(Query turn, int topK, double floor) {
    double[] acc = SCRATCH.get();
    if (acc == null || acc.length < entries.length) {
      acc = new double[entries.length];
      SCRATCH.set(acc);
    }
    int[] touched = new int[64];
    int nt = 0;
    for (int t : turn.ids) {
      int[] ps = postings[t];
      if (ps == null) {
        continue;
      }
      double w = idf[t];
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
    // The best `limit` by rare-term mass, ties in order of discovery (a bounded insertion
    // sort instead of sorting every touched item).
    int limit = Math.min(nt, topK * 4);
    int[] best = new int[limit];
    int nb = 0;
    for (int r = 0; r < nt; r++) {
      int i = touched[r];
      double v = acc[i];
      if (nb == limit && v <= acc[best[nb - 1]]) {
        continue;
      }
      int at = nb == limit ? nb - 1 : nb++;
      while (at > 0 && acc[best[at - 1]] < v) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = i;
    }
    for (int r = 0; r < nt; r++) {
      acc[touched[r]] = 0;
    }
    List<Candidate> out = new ArrayList<>();
    for (int r = 0; r < nb; r++) {
      Candidate c = score(entries[best[r]], turn);
      if (c.score() >= floor) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparingDouble((Candidate c) -> -c.score()));
    return out.size() > topK ? out.subList(0, topK) : out;
  }
}
