package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.gristmill.core.Errors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Batched generation: expands each prompt to {@code num_samples} sequences and returns one {@link
 * SampleResult} per (prompt, sample) in input order. Two schedulers ({@code batching}):
 *
 * <ul>
 *   <li>{@code continuous} (default, with the KV cache): {@code batch_size} sequence slots; a
 *       finished sequence's slot takes the next waiting one at once (shortest prompts first), and a
 *       prompt's samples share one prefill (see {@link ContinuousBatcher});
 *   <li>{@code static}: sorts sequences by prompt length (longest first) and runs batches of {@code
 *       batch_size} sequences until the whole batch ends: with the KV cache through the same
 *       prefill and decode steps as {@code continuous} (refilling only when the batch has ended),
 *       without it ({@code kv_cache: false}) on left-padded rows, recomputing the prefix every
 *       step.
 * </ul>
 *
 * Each sample draws from its own stream seeded by {@link SampleSeeds}, and with the KV cache a
 * row's numbers do not depend on the other rows of its step, so ids and logprobs are identical
 * whatever the scheduler or batch size (on libtorch's CPU kernels; see {@link LlamaModel#decode}).
 */
public final class Generator {
  private final CausalLm lm;
  private int lastPrefills;
  private long lastSteps;
  private long lastRowSteps;
  private int lastCompactions;
  private long lastWindowColumns;
  private long lastAttendedColumns;
  private long lastLiveColumns;

  public Generator(CausalLm lm) {
    if (lm.config().isClassifier()) {
      throw io.gristmill.core.Errors.modelUnsupported(
          lm.modelId(), "generation with a sequence-classification head (use RewardModel)");
    }
    this.lm = lm;
  }

  public List<SampleResult> generate(List<PromptInput> prompts, GenerationParams p) {
    return generate(prompts, p, n -> {});
  }

  /**
   * As {@link #generate(List, GenerationParams)}, telling {@code promptsDone} after each batch how
   * many more prompts have all their samples finished (for progress; results are unchanged).
   */
  public List<SampleResult> generate(
      List<PromptInput> prompts, GenerationParams p, IntConsumer promptsDone) {
    ModelConfig c = lm.config();
    List<Seq> seqs = new ArrayList<>();
    int[] remaining = new int[prompts.size()];
    for (int i = 0; i < prompts.size(); i++) {
      PromptInput in = prompts.get(i);
      if (in.tokenIds().length >= c.maxSeqLen()) {
        throw Errors.promptTooLong(in.promptId(), in.tokenIds().length, c.maxSeqLen());
      }
      remaining[i] = p.numSamples();
      for (int s = 0; s < p.numSamples(); s++) {
        long seed = SampleSeeds.of(in.promptId(), s, p.seed());
        seqs.add(new Seq(seqs.size(), i, in, s, seed));
      }
    }
    // the order of admission (a prompt's samples stay adjacent). Static batching takes the
    // longest prompts first, so the sequences of one batch have similar lengths. Continuous
    // batching takes the shortest first: a newcomer then has a longer prompt than the rows it
    // joins, which have already generated tokens, so their lengths stay close and the attention
    // window (the longest live sequence) holds fewer masked columns. Longest-first made the
    // decode steps of the bench's GSM8K run on stories260K read 1.42x the live rows' columns,
    // shortest-first 1.24x (static: 1.27x)
    boolean continuous = p.batching().equals(GenerationParams.CONTINUOUS);
    List<Seq> order = new ArrayList<>(seqs);
    order.sort(
        Comparator.comparingInt((Seq q) -> (continuous ? 1 : -1) * q.prompt.tokenIds().length)
            .thenComparingInt(q -> q.index));
    Set<Integer> stops = new HashSet<>(p.ignoreEos() ? List.of() : lm.defaults().eosIds());
    stops.addAll(p.stopTokenIds());
    if (p.kvCache()) {
      // both schedulers run the same prefill and decode steps (so a sample's ids and logprobs do
      // not depend on the scheduler); static refills only when its whole batch has ended
      ContinuousBatcher cb = new ContinuousBatcher(lm, this, continuous);
      cb.run(order, p, stops, remaining, promptsDone);
      lastPrefills = cb.prefills();
      lastSteps = cb.steps();
      lastRowSteps = cb.rowSteps();
      lastCompactions = cb.compactions();
      lastWindowColumns = cb.windowColumns();
      lastAttendedColumns = cb.attendedColumns();
      lastLiveColumns = cb.liveColumns();
      return results(seqs);
    }
    for (int i = 0; i < order.size(); i += p.batchSize()) {
      List<Seq> batch = order.subList(i, Math.min(order.size(), i + p.batchSize()));
      run(batch, p, stops);
      int finished = 0;
      for (Seq q : batch) {
        if (--remaining[q.promptAt] == 0) {
          finished++;
        }
      }
      if (finished > 0) {
        promptsDone.accept(finished);
      }
    }
    return results(seqs);
  }

  /** Times the last continuous run moved its tail's live rows to a smaller cache. */
  int lastCompactions() {
    return lastCompactions;
  }

  /** Rows computed over the last continuous run's decode steps (live and free slots). */
  long lastRowSteps() {
    return lastRowSteps;
  }

  /** Decode steps of the last continuous-batching run. */
  long lastSteps() {
    return lastSteps;
  }

  /** Sum over the last continuous run's decode steps of the attention window in columns. */
  long lastWindowColumns() {
    return lastWindowColumns;
  }

  /**
   * Key/value columns the last KV-cache run's decode steps attended (rows x window, summed over
   * steps), per column of the live rows' own lengths: 1.0 would waste nothing on masked columns and
   * dummy rows. NaN before any KV-cache run.
   */
  public double lastAttendedPerLiveColumn() {
    return (double) lastAttendedColumns / lastLiveColumns;
  }

  /** Prompt prefills the last continuous-batching run did (for tests of shared prefill). */
  int lastPrefills() {
    return lastPrefills;
  }

  private List<SampleResult> results(List<Seq> seqs) {
    List<SampleResult> out = new ArrayList<>(seqs.size());
    for (Seq q : seqs) {
      out.add(q.result(lm.tokenizer()));
    }
    return out;
  }

  /** Static batching without a KV cache: every step recomputes the whole left-padded batch. */
  private void run(List<Seq> batch, GenerationParams p, Set<Integer> stops) {
    ModelConfig c = lm.config();
    int b = batch.size();
    int[][] rows = new int[b][];
    for (int r = 0; r < b; r++) {
      rows[r] = batch.get(r).prompt.tokenIds();
    }
    int[] pad = BatchInputs.padding(rows);
    int[][] padded = BatchInputs.leftPad(rows, pad, c.padId());
    int promptLen = padded[0].length;
    int steps = Math.min(p.maxNewTokens(), c.maxSeqLen() - promptLen);
    int v = c.vocabSize();
    int[] ropeLen = new int[b];
    for (int r = 0; r < b; r++) {
      ropeLen[r] = rows[r].length + p.maxNewTokens();
    }
    double temp = p.temperature();
    Step logits = forward(padded, pad, null, temp, ropeLen);
    for (int s = 0; s < steps; s++) {
      boolean anyActive = false;
      for (int r = 0; r < b; r++) {
        Seq q = batch.get(r);
        if (!q.done) {
          q.accept(logits, r, v, p, stops, lm.tokenizer());
          if (!q.done && s == steps - 1) {
            q.done = true;
            q.finish = SampleResult.LENGTH;
          }
          anyActive |= !q.done;
        }
      }
      if (!anyActive) {
        break;
      }
      int[][] full = new int[b][];
      for (int r = 0; r < b; r++) {
        full[r] = batch.get(r).fullRow(padded[r], s + 1, c.padId());
      }
      logits = forward(full, pad, null, temp, ropeLen);
    }
  }

  /** Probabilities (softmax of logits / T, T = 1 when greedy) and, when greedy, the argmax. */
  record Step(float[] probs, long[] argmax) {}

  /**
   * One forward pass over whole left-padded rows (a prefill, written to {@code cache} from column 0
   * when it is not null), returning the last position's step.
   */
  @SuppressWarnings("try") // the scope closes the forward pass's arrays
  Step forward(int[][] tokens, int[] pad, KvCache cache, double temperature, int[] ropeLen) {
    try (NDScope ignored = new NDScope()) {
      BatchInputs in = BatchInputs.of(tokens, pad, 0, lm.config(), ropeLen);
      NDManager m = lm.manager();
      return step(
          lm.model().forward(in.ids(m), in.rope(m), in.mask(m), cache, 0, true), temperature);
    }
  }

  /**
   * One decode step of rows that each hold their sequence from cache column 0 (see {@link
   * LlamaModel#decode}): row {@code r} feeds {@code tokens[r]} at position {@code pos[r]} and
   * attends columns [0, {@code window}).
   */
  @SuppressWarnings("try") // the scope closes the forward pass's arrays
  Step decode(
      int[] tokens, int[] pos, int window, KvCache cache, double temperature, int[] ropeLen) {
    try (NDScope ignored = new NDScope()) {
      BatchInputs in = BatchInputs.decode(tokens, pos, window, lm.config(), ropeLen);
      long[] rows = new long[tokens.length];
      long[] cols = new long[tokens.length];
      for (int r = 0; r < rows.length; r++) {
        rows[r] = r;
        cols[r] = pos[r];
      }
      return step(lm.model().decode(in, lm.manager(), cache, rows, cols, window), temperature);
    }
  }

  private static Step step(NDArray logits, double temperature) {
    boolean greedy = temperature == 0.0;
    NDArray probs = (greedy ? logits : logits.div((float) temperature)).softmax(-1);
    long[] argmax = greedy ? logits.argMax(-1).toLongArray() : null;
    return new Step(probs.toFloatArray(), argmax);
  }

  /** One sequence's state while it is generated. */
  static final class Seq {
    final int index;
    final int promptAt;
    final PromptInput prompt;
    final int sampleIndex;
    final long seed;
    final SplittableRandom rng;
    final List<Integer> ids = new ArrayList<>();
    final List<Float> logprobs = new ArrayList<>();
    boolean done;
    String finish = SampleResult.LENGTH;
    String cutText;

    Seq(int index, int promptAt, PromptInput prompt, int sampleIndex, long seed) {
      this.index = index;
      this.promptAt = promptAt;
      this.prompt = prompt;
      this.sampleIndex = sampleIndex;
      this.seed = seed;
      this.rng = new SplittableRandom(seed);
    }

    void accept(
        Step step, int row, int v, GenerationParams p, Set<Integer> stops, TextTokenizer tok) {
      int off = row * v;
      int id =
          step.argmax() != null
              ? (int) step.argmax()[row]
              : Sampler.draw(step.probs(), off, v, p.topK(), p.topP(), rng);
      ids.add(id);
      logprobs.add((float) Math.log(step.probs()[off + id]));
      if (stops.contains(id)) {
        done = true;
        finish = SampleResult.STOP;
        return;
      }
      if (!p.stopStrings().isEmpty()) {
        String text = tok.decode(idArray(), lastPromptId());
        for (String stop : p.stopStrings()) {
          int at = text.indexOf(stop);
          if (at >= 0) {
            done = true;
            finish = SampleResult.STOP;
            cutText = text.substring(0, at);
            return;
          }
        }
      }
    }

    int last(int padId) {
      return ids.isEmpty() ? padId : ids.get(ids.size() - 1);
    }

    int lastPromptId() {
      int[] t = prompt.tokenIds();
      return t[t.length - 1];
    }

    /** The padded prompt followed by the first {@code n} generated ids (pad after a stop). */
    int[] fullRow(int[] paddedPrompt, int n, int padId) {
      int[] row = new int[paddedPrompt.length + n];
      System.arraycopy(paddedPrompt, 0, row, 0, paddedPrompt.length);
      for (int i = 0; i < n; i++) {
        row[paddedPrompt.length + i] = i < ids.size() ? ids.get(i) : padId;
      }
      return row;
    }

    int[] idArray() {
      return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    SampleResult result(TextTokenizer tok) {
      int[] all = idArray();
      float[] lp = new float[logprobs.size()];
      for (int i = 0; i < lp.length; i++) {
        lp[i] = logprobs.get(i);
      }
      String text = cutText;
      if (text == null) {
        int n = SampleResult.STOP.equals(finish) ? all.length - 1 : all.length;
        text = tok.decode(java.util.Arrays.copyOf(all, n), lastPromptId());
      }
      return new SampleResult(
          prompt.promptId(), sampleIndex, seed, prompt.tokenIds().clone(), all, lp, text, finish);
    }
  }
}
