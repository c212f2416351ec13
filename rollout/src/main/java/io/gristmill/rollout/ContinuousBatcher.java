package io.gristmill.rollout;

import ai.djl.ndarray.NDScope;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Continuous batching with shared-prompt prefill over a fixed number of sequence slots.
 *
 * <p>The slot cache ({@link KvCache}, one row per slot) has one write column {@code col} shared by
 * all slots: every decode step writes each slot's new key/value at {@code col} and advances it.
 * Slot {@code s} holds its sequence in columns [{@code start[s]}, {@code col}); the mask hides the
 * columns before {@code start[s]}, and rotary positions are {@code column - start[s]}, so a row
 * computes exactly what it would alone. When a sequence stops (a stop id, a stop string or its
 * token limit), its slot takes the next waiting sequence before the next step: the newcomer's
 * prompt keys/values are copied into columns [{@code col - P}, {@code col}) of its row and its
 * first token is drawn from the prefill's last logits, then it decodes with the others.
 *
 * <p>A prompt is prefilled once (batch 1, its own small cache) and that cache and those logits are
 * reused for all its samples (the {@code num_samples} of GRPO), so k samples cost one prefill and k
 * row copies. When {@code col} reaches the capacity, live columns move left ({@link
 * KvCache#shiftLeft}) by the oldest live start, so the cache never grows: capacity is the longest
 * prompt + max new tokens + headroom (half that, at least 32), fixed for the run.
 *
 * <p>Each sample draws from its own seeded stream, so ids do not depend on the slot count or on
 * which sequences share a step. Free slots run as one-token dummies (they see only themselves)
 * while sequences wait; once none waits and at most half the slots are live, the live rows move to
 * a cache of that many rows, so the tail does not compute for finished slots.
 */
final class ContinuousBatcher {
  private final CausalLm lm;
  private final Generator g;
  private int prefills;
  private long steps;
  private int compactions;
  private long rowSteps;
  private long windowColumns;

  ContinuousBatcher(CausalLm lm, Generator g) {
    this.lm = lm;
    this.g = g;
  }

  /** A prompt's prefill: its cache (batch 1, columns [0, P)) and its last position's step. */
  private record Prefill(int promptAt, KvCache cache, Generator.Step step) {}

  /** The KV columns one slot holds for prompts up to {@code maxPrompt} tokens. */
  static int capacity(int maxPrompt, int maxNew) {
    int live = maxPrompt + maxNew;
    return live + Math.max(32, live / 2);
  }

  @SuppressWarnings("try") // the scopes close temporary views
  void run(
      List<Generator.Seq> seqs,
      GenerationParams p,
      Set<Integer> stops,
      int[] remaining,
      IntConsumer promptsDone) {
    ModelConfig c = lm.config();
    int v = c.vocabSize();
    int slots = Math.min(p.batchSize(), seqs.size());
    if (slots == 0) {
      return;
    }
    int maxPrompt = 0;
    for (Generator.Seq q : seqs) {
      maxPrompt = Math.max(maxPrompt, q.prompt.tokenIds().length);
    }
    int capacity = capacity(maxPrompt, p.maxNewTokens());
    Deque<Generator.Seq> waiting = new ArrayDeque<>(seqs);
    Generator.Seq[] slot = new Generator.Seq[slots];
    int[] start = new int[slots];
    int[] limit = new int[slots];
    int[] ropeLen = new int[slots];
    int col = maxPrompt;
    Prefill pre = null;
    KvCache cache = new KvCache(lm.manager(), c, slots, capacity, lm.model().dtype());
    try {
      while (true) {
        // admit waiting sequences into free slots
        for (int s = 0; s < slots && !waiting.isEmpty(); s++) {
          while (slot[s] == null && !waiting.isEmpty()) {
            Generator.Seq q = waiting.poll();
            if (pre == null || pre.promptAt() != q.promptAt) {
              if (pre != null) {
                pre.cache().close();
              }
              pre = prefill(q, p);
              prefills++;
            }
            int len = q.prompt.tokenIds().length;
            try (NDScope ignored = new NDScope()) {
              cache.copyRow(pre.cache(), 0, 0, len, s, col - len);
            }
            start[s] = col - len;
            limit[s] = Math.min(p.maxNewTokens(), c.maxSeqLen() - len);
            ropeLen[s] = len + p.maxNewTokens();
            slot[s] = q;
            accept(q, pre.step(), 0, v, p, stops, limit[s]);
            if (q.done) {
              slot[s] = null;
              finished(q, remaining, promptsDone);
            }
          }
        }
        int active = 0;
        int from = col;
        for (int s = 0; s < slots; s++) {
          if (slot[s] != null) {
            active++;
            from = Math.min(from, start[s]);
          }
        }
        if (active == 0) {
          break;
        }
        if (waiting.isEmpty() && active <= slots / 2) {
          // the tail: nothing left to admit, so move the live rows to a smaller cache instead of
          // running the free slots as dummies (columns before the oldest start are never read)
          KvCache small = new KvCache(lm.manager(), c, active, capacity, lm.model().dtype());
          Generator.Seq[] slot2 = new Generator.Seq[active];
          int[] start2 = new int[active];
          int[] limit2 = new int[active];
          int[] ropeLen2 = new int[active];
          int j = 0;
          try (NDScope ignored = new NDScope()) {
            for (int s = 0; s < slots; s++) {
              if (slot[s] != null) {
                small.copyRow(cache, s, from, col, j, from);
                slot2[j] = slot[s];
                start2[j] = start[s];
                limit2[j] = limit[s];
                ropeLen2[j] = ropeLen[s];
                j++;
              }
            }
          } catch (RuntimeException e) {
            small.close();
            throw e;
          }
          cache.close();
          cache = small;
          slots = active;
          slot = slot2;
          start = start2;
          limit = limit2;
          ropeLen = ropeLen2;
          compactions++;
        }
        if (col == capacity) {
          int delta = Math.min(from, col - maxPrompt);
          try (NDScope ignored = new NDScope()) {
            cache.shiftLeft(delta, col);
          }
          for (int s = 0; s < slots; s++) {
            start[s] -= delta;
          }
          col -= delta;
          from -= delta;
        }
        int[][] next = new int[slots][1];
        int[] pad = new int[slots];
        for (int s = 0; s < slots; s++) {
          Generator.Seq q = slot[s];
          next[s][0] = q == null ? c.padId() : q.last(c.padId());
          pad[s] = (q == null ? col : start[s]) - from;
        }
        Generator.Step step = g.forward(next, pad, col, from, cache, p.temperature(), ropeLen);
        steps++;
        rowSteps += slots;
        windowColumns += col + 1 - from;
        col++;
        for (int s = 0; s < slots; s++) {
          Generator.Seq q = slot[s];
          if (q != null) {
            accept(q, step, s, v, p, stops, limit[s]);
            if (q.done) {
              slot[s] = null;
              finished(q, remaining, promptsDone);
            }
          }
        }
      }
    } finally {
      cache.close();
      if (pre != null) {
        pre.cache().close();
      }
    }
  }

  /** Times the tail's live rows moved to a smaller cache. */
  int compactions() {
    return compactions;
  }

  /** Sum over decode steps of the rows computed (live and free slots). */
  long rowSteps() {
    return rowSteps;
  }

  /** Decode steps run so far. */
  long steps() {
    return steps;
  }

  /** Sum over decode steps of the attention window (columns every slot attends). */
  long windowColumns() {
    return windowColumns;
  }

  /** Prompt prefills run so far (one per prompt with shared prefill). */
  int prefills() {
    return prefills;
  }

  private void accept(
      Generator.Seq q,
      Generator.Step step,
      int row,
      int v,
      GenerationParams p,
      Set<Integer> stops,
      int limit) {
    q.accept(step, row, v, p, stops, lm.tokenizer());
    if (!q.done && q.ids.size() >= limit) {
      q.done = true;
      q.finish = SampleResult.LENGTH;
    }
  }

  private static void finished(Generator.Seq q, int[] remaining, IntConsumer promptsDone) {
    if (--remaining[q.promptAt] == 0) {
      promptsDone.accept(1);
    }
  }

  private Prefill prefill(Generator.Seq q, GenerationParams p) {
    ModelConfig c = lm.config();
    int[] ids = q.prompt.tokenIds();
    KvCache pc = new KvCache(lm.manager(), c, 1, ids.length, lm.model().dtype());
    try {
      Generator.Step step =
          g.forward(
              new int[][] {ids},
              new int[] {0},
              0,
              0,
              pc,
              p.temperature(),
              new int[] {ids.length + p.maxNewTokens()});
      return new Prefill(q.promptAt, pc, step);
    } catch (RuntimeException e) {
      pc.close();
      throw e;
    }
  }
}
