package io.gristmill.rollout;

import ai.djl.ndarray.NDScope;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The KV-cache scheduler: continuous batching with shared-prompt prefill over a fixed number of
 * sequence slots, or static batching over the same steps.
 *
 * <p>Each slot ({@link KvCache} row) holds its sequence from column 0: a newcomer's prompt
 * keys/values are copied into columns [0, P) of its row and its first token is drawn from the
 * prefill's last logits; each decode step then writes every row's new key/value at the row's own
 * position and attends columns [0, window), window = the longest live sequence rounded up to {@link
 * #ALIGN} columns, masking the columns after a row's position. When a sequence stops (a stop id, a
 * stop string or its token limit), its slot takes the next waiting sequence before the next step
 * ({@code continuous}), or waits until every slot of the batch has ended ({@code static}).
 *
 * <p><b>Batch invariance.</b> A row's ids and logprobs are bit-identical whatever else shares its
 * step, its slot index and the window: with this layout a row's live columns are always at the same
 * columns of the reduction (only masked columns follow them), the window is a multiple of {@link
 * #ALIGN} and a step has at least {@link #MIN_ROWS} rows, which libtorch's CPU kernels need for
 * that (measured in docs/decisions/rollout-engine.md). Both schedulers also share the prefill
 * (batch 1, once per prompt, reused by all its {@code num_samples} samples), so static and
 * continuous batching give the same samples.
 *
 * <p>Capacity is the longest prompt + max new tokens rounded up to {@link #ALIGN}, fixed for the
 * run: a row never needs more. Each sample draws from its own seeded stream. Free slots run as
 * one-token dummies at column 0 while sequences wait; once none waits and at most half the slots
 * are live, the live rows move to a cache of that many rows (at least {@link #MIN_ROWS}), so the
 * tail does not compute for finished slots (continuous only).
 */
final class ContinuousBatcher {
  /** Attention windows and the cache capacity are multiples of this many columns. */
  static final int ALIGN = 16;

  /** Fewest rows a decode step computes (free rows run as dummies). */
  static final int MIN_ROWS = 4;

  private final CausalLm lm;
  private final Generator g;
  private final boolean continuous;
  private int prefills;
  private long steps;
  private int compactions;
  private long rowSteps;
  private long windowColumns;
  private long attendedColumns;
  private long liveColumns;

  /**
   * @param continuous refill a slot as soon as its sequence ends; else (static batching) only when
   *     every slot has ended, and never compact
   */
  ContinuousBatcher(CausalLm lm, Generator g, boolean continuous) {
    this.lm = lm;
    this.g = g;
    this.continuous = continuous;
  }

  /** A prompt's prefill: its cache (batch 1, columns [0, P)) and its last position's step. */
  private record Prefill(int promptAt, KvCache cache, Generator.Step step) {}

  /** The KV columns one slot holds for prompts up to {@code maxPrompt} tokens. */
  static int capacity(int maxPrompt, int maxNew) {
    return align(maxPrompt + maxNew);
  }

  static int align(int columns) {
    return (columns + ALIGN - 1) / ALIGN * ALIGN;
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
    int rows = Math.max(MIN_ROWS, slots);
    Generator.Seq[] slot = new Generator.Seq[rows];
    int[] pos = new int[rows];
    int[] limit = new int[rows];
    int[] ropeLen = new int[rows];
    Prefill pre = null;
    KvCache cache = new KvCache(lm.manager(), c, rows, capacity, lm.model().dtype());
    try {
      while (true) {
        boolean admit = continuous;
        if (!admit) {
          admit = true;
          for (int s = 0; s < slots; s++) {
            admit &= slot[s] == null;
          }
        }
        for (int s = 0; s < slots && admit && !waiting.isEmpty(); s++) {
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
              cache.copyRow(pre.cache(), 0, 0, len, s, 0);
            }
            pos[s] = len;
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
        int longest = 0;
        for (int s = 0; s < rows; s++) {
          if (slot[s] != null) {
            active++;
            longest = Math.max(longest, pos[s] + 1);
          } else {
            pos[s] = 0;
          }
        }
        if (active == 0) {
          if (waiting.isEmpty()) {
            break;
          }
          continue;
        }
        if (continuous && waiting.isEmpty() && active <= slots / 2 && rows > MIN_ROWS) {
          // the tail: nothing left to admit, so move the live rows to a smaller cache instead of
          // running the free slots as dummies
          int rows2 = Math.max(MIN_ROWS, active);
          KvCache small = new KvCache(lm.manager(), c, rows2, capacity, lm.model().dtype());
          Generator.Seq[] slot2 = new Generator.Seq[rows2];
          int[] pos2 = new int[rows2];
          int[] limit2 = new int[rows2];
          int[] ropeLen2 = new int[rows2];
          int j = 0;
          try (NDScope ignored = new NDScope()) {
            for (int s = 0; s < rows; s++) {
              if (slot[s] != null) {
                small.copyRow(cache, s, 0, pos[s], j, 0);
                slot2[j] = slot[s];
                pos2[j] = pos[s];
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
          rows = rows2;
          slot = slot2;
          pos = pos2;
          limit = limit2;
          ropeLen = ropeLen2;
          compactions++;
        }
        int[] next = new int[rows];
        for (int s = 0; s < rows; s++) {
          Generator.Seq q = slot[s];
          next[s] = q == null ? c.padId() : q.last(c.padId());
        }
        int window = align(longest);
        Generator.Step step = g.decode(next, pos, window, cache, p.temperature(), ropeLen);
        steps++;
        rowSteps += rows;
        windowColumns += window;
        attendedColumns += (long) rows * window;
        for (int s = 0; s < rows; s++) {
          if (slot[s] != null) {
            liveColumns += pos[s] + 1;
          }
        }
        for (int s = 0; s < rows; s++) {
          Generator.Seq q = slot[s];
          if (q != null) {
            pos[s]++;
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

  /**
   * Sum over decode steps of rows x window: the key/value columns the attention products read (live
   * rows, dummies and the masked columns after each row's position).
   */
  long attendedColumns() {
    return attendedColumns;
  }

  /** Sum over decode steps of each live row's own length (its position + 1). */
  long liveColumns() {
    return liveColumns;
  }

  /** Prompt prefills run so far (one per prompt: its samples share it). */
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
