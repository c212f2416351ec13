package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * The Llama-family forward pass (RMSNorm, rotary embeddings in the HF "rotate half" layout,
 * grouped-query attention, SwiGLU) on DJL NDArrays. Written to issue few native calls per layer,
 * since on small models the per-call cost dominates: no slicing outside the KV cache, and the
 * rotate-half permutation done as one product with a constant matrix. Stateless apart from the
 * weights; callers own the NDScope in which intermediate arrays are freed.
 */
final class LlamaModel {
  private static final NDIndex LAST = new NDIndex(":, -1, :");
  private final ModelConfig c;
  private final LlamaWeights w;
  private final NDArray rotateHalf;

  LlamaModel(ModelConfig c, LlamaWeights w, NDManager manager) {
    this.c = c;
    this.w = w;
    int hd = c.headDim();
    int half = hd / 2;
    float[] r = new float[hd * hd];
    for (int j = 0; j < half; j++) {
      r[(j + half) * hd + j] = -1f; // out[j] = -x[j + half]
      r[j * hd + j + half] = 1f; // out[j + half] = x[j]
    }
    this.rotateHalf = manager.create(r, new Shape(hd, hd)).toType(w.dtype, false);
  }

  ModelConfig config() {
    return c;
  }

  /** The dtype of weights, activations and the KV cache (logits are returned in float32). */
  DataType dtype() {
    return w.dtype;
  }

  /**
   * Runs the decoder on {@code ids} [B, T] (int64).
   *
   * @param rope cos and sin, each [B, 1, T, headDim], for the tokens' positions
   * @param mask additive attention mask [B, 1, 1, T, L] (0 or -inf), L = start + T with a cache, L
   *     = T without
   * @param cache the KV cache to write at columns [start, start+T) and read from, or null
   * @param lastOnly when true, logits of the last position only ([B, V]); else [B, T, V]; V is the
   *     number of labels for a classifier. Always float32.
   */
  NDArray forward(
      NDArray ids, NDArray[] rope, NDArray mask, KvCache cache, int start, boolean lastOnly) {
    return run(ids, rope, mask, cache, start, null, null, 0, lastOnly);
  }

  /**
   * One decode step ({@code ids} [B, 1]) whose rows each hold their sequence from cache column 0:
   * row {@code rows[i]} writes its key/value at column {@code cols[i]} and attends columns [0,
   * {@code window}) under {@code mask} [B, 1, 1, 1, window]. A row's numbers then do not depend on
   * the other rows, on its row index or on the window (as long as the window is a multiple of
   * {@link ContinuousBatcher#ALIGN} and B is at least {@link ContinuousBatcher#MIN_ROWS}; see
   * docs/decisions/rollout-engine.md). Returns the logits [B, V] (float32).
   */
  NDArray decode(BatchInputs in, NDManager m, KvCache cache, long[] rows, long[] cols, int window) {
    return run(
        in.ids(m), in.rope(m), in.mask(m), cache, 0, m.create(rows), m.create(cols), window, true);
  }

  private NDArray run(
      NDArray ids,
      NDArray[] rope,
      NDArray mask,
      KvCache cache,
      int start,
      NDArray rows,
      NDArray cols,
      int window,
      boolean lastOnly) {
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    int hd = c.headDim();
    int h = c.nHeads();
    int kv = c.nKvHeads();
    int rep = h / kv;
    if (w.dtype != DataType.FLOAT32) {
      rope = new NDArray[] {rope[0].toType(w.dtype, false), rope[1].toType(w.dtype, false)};
      mask = mask.toType(w.dtype, false);
    }
    // the same cos/sin as [B, T, 1, hd] (the same memory: its size-1 axis moves), for q and k laid
    // out by token before they are viewed as heads
    NDArray[] ropeByToken = {rope[0].reshape(b, t, 1, hd), rope[1].reshape(b, t, 1, hd)};
    NDArray x = w.embed.get(ids.flatten()).reshape(b, t, c.dim());
    for (int l = 0; l < c.nLayers(); l++) {
      LlamaWeights.Layer lw = w.layers.get(l);
      NDArray hN = rmsNorm(x, lw.attnNorm());
      NDArray qkv = linear(hN, lw.wQkv(), lw.bQkv());
      NDArray q;
      NDArray k;
      NDArray v;
      if (lw.qNorm() == null) {
        // q and k are adjacent in the fused product: rotate them in one pass ([B, T, h + kv, hd]
        // with cos/sin broadcast over the heads), then split and view them as heads
        NDList qkV = qkv.split(new long[] {(long) (h + kv) * hd}, 2);
        NDList qk =
            rotate(qkV.get(0).reshape(b, t, h + kv, hd), ropeByToken).split(new long[] {h}, 2);
        q = qk.get(0).transpose(0, 2, 1, 3);
        k = qk.get(1).transpose(0, 2, 1, 3);
        v = heads(qkV.get(1), kv, b, t, hd);
      } else {
        // Qwen3: each head's q and k are RMS-normalised (with their own weights) before rotation
        NDList parts = qkv.split(new long[] {(long) h * hd, (long) (h + kv) * hd}, 2);
        q = rotate(rmsNorm(heads(parts.get(0), h, b, t, hd), lw.qNorm()), rope);
        k = rotate(rmsNorm(heads(parts.get(1), kv, b, t, hd), lw.kNorm()), rope);
        v = heads(parts.get(2), kv, b, t, hd);
      }
      NDArray kT; // [B, KV, hd, L]
      if (cols != null) {
        cache.writeRows(l, rows, cols, k, v);
        kT = cache.keysTransposed(l, 0, window);
        v = cache.values(l, 0, window);
      } else if (cache != null) {
        cache.write(l, start, k, v);
        kT = cache.keysTransposed(l, 0, start + (int) t);
        v = cache.values(l, 0, start + (int) t);
      } else {
        kT = k.transpose(0, 1, 3, 2);
      }
      // q's heads of one kv group stacked as rows: [B, KV, rep*T, hd] @ [B, KV, hd, L] is one
      // batched product over B*KV with no broadcast (a broadcast over rep made libtorch copy the
      // whole key/value window rep times per step: 3/4 of the decode time at batch 64)
      long len = kT.getShape().get(3);
      NDArray scores = q.reshape(b, kv, rep * t, hd).matMul(kT);
      scores = scores.reshape(b, kv, rep, t, len).addi(mask).reshape(b, kv, rep * t, len);
      NDArray o =
          scores
              .softmax(-1)
              .matMul(v)
              .reshape(b, h, t, hd)
              .transpose(0, 2, 1, 3)
              .reshape(b, t, (long) h * hd);
      x = x.add(Linear.linear(o, lw.wo()).singletonOrThrow());
      NDArray f = rmsNorm(x, lw.ffnNorm());
      NDList gu =
          Linear.linear(f, lw.wGateUp()).singletonOrThrow().split(new long[] {c.hiddenDim()}, 2);
      NDArray g = gu.get(0);
      NDArray u = gu.get(1);
      NDArray act = g.mul(Activation.sigmoid(g)).muli(u);
      x = x.add(Linear.linear(act, lw.wDown()).singletonOrThrow());
    }
    if (lastOnly) {
      x = x.get(LAST);
    }
    x = rmsNorm(x, w.finalNorm);
    NDArray logits = Linear.linear(x, w.lmHead).singletonOrThrow();
    return logits.getDataType() == DataType.FLOAT32
        ? logits
        : logits.toType(DataType.FLOAT32, false);
  }

  private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    return (bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias))
        .singletonOrThrow();
  }

  private NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray inv = x.square().mean(new int[] {-1}, true).addi((float) c.normEps()).sqrt();
    return x.div(inv).muli(weight);
  }

  /** [B, T, n*hd] to [B, n, T, hd]. */
  private static NDArray heads(NDArray x, int n, long b, long t, int hd) {
    return x.reshape(b, t, n, hd).transpose(0, 2, 1, 3);
  }

  /**
   * x * cos + rotate_half(x) * sin, rotate_half(x) = concat(-x2, x1) = x @ R (exact: R is a signed
   * permutation, so every element gets the same bits whatever x's layout).
   */
  private NDArray rotate(NDArray x, NDArray[] rope) {
    return x.mul(rope[0]).addi(x.matMul(rotateHalf).muli(rope[1]));
  }
}
