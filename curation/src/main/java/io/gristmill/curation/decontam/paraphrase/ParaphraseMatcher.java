package io.gristmill.curation.decontam.paraphrase;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the benchmark items a text paraphrases: candidates from {@link ParaphraseIndex}, then a
 * verifier per benchmark kind, so that a same-topic item with other numbers or another question is
 * not a match:
 *
 * <ul>
 *   <li>{@code math}: every distinct number of the item is stated (after {@link NumberNormalizer}),
 *       at most {@code math_max_extra_numbers} other numbers are, and the item's question-sentence
 *       words are found in the text's question sentences;
 *   <li>{@code code}: a function with the item's parameter count (annotations and return type are
 *       further signals), or no function at all and a higher score;
 *   <li>{@code choice}: the question and at least {@code choice_min_options} options (any order),
 *       or the question alone with a higher score and character-trigram agreement;
 *   <li>{@code text}: a high score and character-trigram agreement.
 * </ul>
 *
 * Every kind needs the matched terms to carry at least {@code min_info} idf mass. The two paths
 * that decide on term evidence alone (a choice question without its options, free text) also need
 * the retrieval {@code floor}: a no-op for candidates the terms retrieved, it keeps an embedding
 * candidate below the floor (see {@link #match(String, List)}) from being accepted on topic words,
 * since those paths' false-positive budget was set with the floor in front of them.
 */
public final class ParaphraseMatcher implements Serializable {
  private static final long serialVersionUID = 1L;
  private final ParaphraseIndex index;
  private final ParaphraseConfig cfg;

  public ParaphraseMatcher(ParaphraseIndex index, ParaphraseConfig cfg) {
    this.index = index;
    this.cfg = cfg;
  }

  /**
   * The verified matches of one text (a checked turn), best first; at most one per item. In a turn
   * much longer than the item (see {@link ParaphraseConfig#window()}), a match must also be scored
   * and verified inside one window of the turn (signal {@code window}).
   */
  public List<ParaphraseMatch> match(String text) {
    return match(text, List.of());
  }

  /**
   * As {@link #match(String)}, with the entries of {@code nearest} (an {@link EmbeddingIndex}'s
   * hits for this text) added to the retrieved candidates whatever their term score: they are
   * verified as any candidate (min_info, the kind's verifier, windows), and a verified match of an
   * entry in {@code nearest} carries the signal {@code embedding}.
   */
  public List<ParaphraseMatch> match(String text, List<EmbeddingIndex.Hit> nearest) {
    ParaphraseIndex.Query turn = index.query(Profile.of(text));
    List<ParaphraseMatch> out = new ArrayList<>();
    Map<Integer, List<ParaphraseIndex.Query>> windows = null;
    List<ParaphraseIndex.Candidate> candidates = index.candidates(turn, cfg.topK(), cfg.floor());
    Map<ParaphraseIndex.Entry, Double> embedded = new IdentityHashMap<>();
    if (!nearest.isEmpty()) {
      candidates = new ArrayList<>(candidates);
      Set<ParaphraseIndex.Entry> retrieved = Collections.newSetFromMap(new IdentityHashMap<>());
      candidates.forEach(c -> retrieved.add(c.entry()));
      for (EmbeddingIndex.Hit h : nearest) {
        ParaphraseIndex.Entry e = index.entries[h.entry()];
        embedded.merge(e, h.cosine(), Math::max);
        if (retrieved.add(e)) {
          candidates.add(index.score(e, turn));
        }
      }
    }
    for (ParaphraseIndex.Candidate c : candidates) {
      int size = windowChars(c.entry());
      List<String> signals = c.info() < cfg.minInfo() ? null : verify(c, turn);
      Double cosine = embedded.get(c.entry());
      if (signals == null && cosine != null && (size == 0 || text.length() <= size)) {
        // Only for a turn that fits one window: the encoder reads the opening of a long turn.
        signals = acceptedByEmbedding(c, turn, cosine);
        if (signals != null) {
          out.add(
              new ParaphraseMatch(
                  c.entry().item.benchmark(), c.entry().item.item(), c.score(), signals));
        }
        continue;
      }
      if (signals != null && size > 0 && text.length() > size) {
        if (windows == null) {
          windows = new HashMap<>();
        }
        List<String> inWindow =
            inAWindow(c.entry(), windows.computeIfAbsent(size, k -> windowQueries(text, k)));
        if (inWindow == null) {
          signals = null;
        } else {
          signals.add("window");
        }
      }
      if (signals != null) {
        if (cosine != null) {
          signals.add("embedding");
        }
        out.add(
            new ParaphraseMatch(
                c.entry().item.benchmark(), c.entry().item.item(), c.score(), signals));
      }
    }
    out.sort(Comparator.comparingDouble((ParaphraseMatch m) -> -m.score()));
    return out;
  }

  /** The window size for an item, in characters; 0 when windows are off. */
  int windowChars(ParaphraseIndex.Entry e) {
    if (cfg.window() <= 0) {
      return 0;
    }
    return (int)
        Math.min(
            Integer.MAX_VALUE,
            Math.max(cfg.windowMinChars(), Math.ceil(cfg.window() * e.item.text().length())));
  }

  private List<ParaphraseIndex.Query> windowQueries(String text, int size) {
    List<ParaphraseIndex.Query> out = new ArrayList<>();
    for (String w : windows(text, size)) {
      out.add(index.query(Profile.of(w)));
    }
    return out;
  }

  /** The signals of the first window the item is retrieved (floor, min_info) and verified in. */
  private List<String> inAWindow(ParaphraseIndex.Entry e, List<ParaphraseIndex.Query> windows) {
    for (ParaphraseIndex.Query w : windows) {
      ParaphraseIndex.Candidate c = index.score(e, w);
      if (c.score() >= cfg.floor() && c.info() >= cfg.minInfo()) {
        List<String> s = verify(c, w);
        if (s != null) {
          return s;
        }
      }
    }
    return null;
  }

  /**
   * Overlapping windows of at most {@code size} characters that start and end at sentence or line
   * boundaries where they can, one starting about every {@code size / 3} characters, so that any
   * span up to about two thirds of {@code size} lies inside one window.
   */
  static List<String> windows(String text, int size) {
    int n = text.length();
    List<Integer> bounds = new ArrayList<>();
    bounds.add(0);
    for (int i = 1; i < n; i++) {
      char p = text.charAt(i - 1);
      if (p == '\n') {
        bounds.add(i);
      } else if ((p == '.' || p == '?' || p == '!') && Character.isWhitespace(text.charAt(i))) {
        int j = i;
        while (j < n && Character.isWhitespace(text.charAt(j))) {
          j++;
        }
        bounds.add(j); // the next sentence's first character
      }
    }
    bounds.add(n);
    int[] b = bounds.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    int stride = Math.max(1, size / 3);
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < n) {
      int limit = Math.min(n, start + size);
      int end = limit;
      if (limit < n) {
        // The last boundary inside the window, unless that leaves less than a stride.
        int j = Arrays.binarySearch(b, limit);
        int last = b[j >= 0 ? j : -j - 2];
        if (last - start >= stride) {
          end = last;
        }
      }
      out.add(text.substring(start, end));
      if (end >= n) {
        break;
      }
      // The next start: the first boundary at least a stride on, or a stride on if that is far.
      int want = start + stride;
      int j = Arrays.binarySearch(b, want);
      int first = b[j >= 0 ? j : -j - 1];
      start = first <= want + stride ? first : want;
    }
    return out;
  }

  /** The agreeing signals when the candidate is verified, else null. */
  List<String> verify(ParaphraseIndex.Candidate c, ParaphraseIndex.Query turn) {
    ParaphraseIndex.Entry e = c.entry();
    List<String> s = new ArrayList<>();
    s.add("terms");
    return switch (e.item.kind()) {
      case "math" -> math(c, turn, s);
      case "code" -> code(c, turn, s);
      case "choice" -> choice(c, turn, s);
      default -> text(c, turn, s, cfg.textMinScore());
    };
  }

  private List<String> math(ParaphraseIndex.Candidate c, ParaphraseIndex.Query q, List<String> s) {
    Profile turn = q.profile;
    ParaphraseIndex.Entry e = c.entry();
    if (e.numbers.length == 0) {
      return text(c, q, s, cfg.textMinScore());
    }
    int found = Profile.numbersFound(e.numbers, turn.numbers);
    if (found < cfg.mathNumberRecall() * e.numbers.length - 1e-9) {
      return null;
    }
    if (turn.numbers.length - turn.alternates - found > cfg.mathMaxExtraNumbers()) {
      return null;
    }
    s.add("numbers");
    if (e.asked.length > 0) {
      int hit = 0;
      for (String w : e.asked) {
        if (turn.asked().contains(w)) {
          hit++;
        }
      }
      if (hit < cfg.mathAskedOverlap() * e.asked.length - 1e-9) {
        return null;
      }
      s.add("asked");
    }
    return s;
  }

  private List<String> code(ParaphraseIndex.Candidate c, ParaphraseIndex.Query q, List<String> s) {
    Profile turn = q.profile;
    ParaphraseIndex.Entry e = c.entry();
    Profile.Signature want = e.signature;
    if (want == null || turn.signatures().isEmpty()) {
      return c.score() >= cfg.codeUnsignedMinScore() ? s : null;
    }
    Profile.Signature best = null;
    int bestAgree = -1;
    for (Profile.Signature g : turn.signatures()) {
      if (g.paramTypes().size() != want.paramTypes().size()) {
        continue;
      }
      int agree =
          (g.paramTypes().equals(want.paramTypes()) ? 1 : 0)
              + (g.returns().equals(want.returns()) ? 1 : 0);
      if (agree > bestAgree) {
        best = g;
        bestAgree = agree;
      }
    }
    if (best == null || c.score() < cfg.codeMinScore()) {
      return null;
    }
    s.add("signature");
    if (!want.paramTypes().stream().allMatch(String::isEmpty)
        && best.paramTypes().equals(want.paramTypes())) {
      s.add("types");
    }
    if (!want.returns().isEmpty() && best.returns().equals(want.returns())) {
      s.add("returns");
    }
    if (e.numbers.length > 0 && Profile.numbersFound(e.numbers, turn.numbers) == e.numbers.length) {
      s.add("examples");
    }
    return s;
  }

  private List<String> choice(
      ParaphraseIndex.Candidate c, ParaphraseIndex.Query query, List<String> s) {
    Profile turn = query.profile;
    ParaphraseIndex.Entry e = c.entry();
    double q = index.containment(e.questionIds, query)[0];
    int checkable = 0;
    int found = 0;
    for (int i = 0; i < e.optionTerms.length; i++) {
      String[] ot = e.optionTerms[i];
      double[] on = e.optionNumbers[i];
      if (ot.length == 0 && on.length == 0) {
        continue;
      }
      checkable++;
      boolean wordsOk = ot.length == 0 || index.containment(e.optionIds[i], query)[0] >= 0.6;
      boolean numsOk = on.length == 0 || Profile.numbersFound(on, turn.numbers) == on.length;
      if (wordsOk && numsOk) {
        found++;
      }
    }
    int need = Math.min(cfg.choiceMinOptions(), checkable);
    double cover = index.coverage(e.termIds, query);
    if (checkable > 0
        && found >= need
        && q >= cfg.choiceQuestionMin()
        && cover >= cfg.minCoverage() / 2) {
      s.add("question");
      s.add("options");
      return s;
    }
    if (q >= cfg.choiceQuestionOnlyMin()
        && c.score() >= cfg.floor()
        && e.questionTerms.length >= cfg.choiceQuestionOnlyMinTerms()
        && index.coverage(e.questionIds, query) >= cfg.minCoverage()
        && chars(e.item.parts().get(0), turn) >= cfg.minChars()
        && numbersAgree(e.item.parts().get(0), turn)) {
      s.add("question");
      s.add("chars");
      return s;
    }
    return null;
  }

  /**
   * A multiple-choice item the embedding retrieved and the term verifier rejected: a match when its
   * question's cosine with the turn is at least {@code accept_cosine}, the turn holds at least
   * {@code accept_min_info} idf mass of the question's terms, and the question's numbers are all in
   * the turn (signals {@code embedding}, {@code accept_cosine}). Null otherwise.
   */
  List<String> acceptedByEmbedding(
      ParaphraseIndex.Candidate c, ParaphraseIndex.Query turn, double cosine) {
    EmbeddingConfig emb = cfg.embedding();
    ParaphraseIndex.Entry e = c.entry();
    if (emb == null
        || cosine < emb.acceptCosine()
        || !"choice".equals(e.item.kind())
        || e.item.parts().size() < 2) {
      return null;
    }
    if (index.containment(e.questionIds, turn)[1] < emb.acceptMinInfo()
        || !numbersAgree(e.item.parts().get(0), turn.profile)) {
      return null;
    }
    List<String> s = new ArrayList<>();
    s.add("embedding");
    s.add("accept_cosine");
    return s;
  }

  private List<String> text(
      ParaphraseIndex.Candidate c, ParaphraseIndex.Query q, List<String> s, double minScore) {
    Profile turn = q.profile;
    if (c.score() < Math.max(minScore, cfg.floor())
        || index.coverage(c.entry().termIds, q) < cfg.minCoverage()
        || chars(c.entry().item.text(), turn) < cfg.minChars()) {
      return null;
    }
    s.add("chars");
    if (c.entry().numbers.length > 0
        && Profile.numbersFound(c.entry().numbers, turn.numbers) == c.entry().numbers.length) {
      s.add("numbers");
    }
    return s;
  }

  private static boolean numbersAgree(String itemText, Profile turn) {
    double[] n = Profile.distinct(NumberNormalizer.numbers(itemText));
    return Profile.numbersFound(n, turn.numbers) == n.length;
  }

  /** Fraction of the item text's content-word trigrams found among the turn's. */
  static double chars(String itemText, Profile turn) {
    Set<String> want = Terms.trigrams(Terms.words(itemText));
    if (want.isEmpty()) {
      return 0;
    }
    Set<String> have = turn.trigrams();
    int hit = 0;
    for (String g : want) {
      if (have.contains(g)) {
        hit++;
      }
    }
    return (double) hit / want.size();
  }
}
