package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * The Llama-family forward pass (RMSNorm, rotary embeddings in the HF "rotate half" layout,
 * grouped-query attention, SwiGLU) on DJL NDArrays. Stateless apart from the weights; callers own
 * the NDScope in which the intermediate arrays are freed.
 */
final class LlamaModel {
  private final ModelConfig c;
  private final LlamaWeights w;
  private final float scale;

  LlamaModel(ModelConfig c, LlamaWeights w) {
    this.c = c;
    this.w = w;
    this.scale = (float) (1.0 / Math.sqrt(c.headDim()));
  }

  ModelConfig config() {
    return c;
  }

  /**
   * Runs the decoder on {@code ids} [B, T] (int64).
   *
   * @param rope cos and sin, each [B, 1, T, headDim], for the tokens' positions
   * @param mask additive attention mask [B, 1, 1, T, L] (0 or -inf), L = start + T with a cache, L
   *     = T without
   * @param cache the KV cache to write at [start, start+T) and read from, or null
   * @param lastOnly when true, logits of the last position only ([B, V]); else [B, T, V]
   */
  NDArray forward(
      NDArray ids, NDArray[] rope, NDArray mask, KvCache cache, int start, boolean lastOnly) {
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    int hd = c.headDim();
    int h = c.nHeads();
    int kv = c.nKvHeads();
    int rep = h / kv;
    NDArray x = w.embed.get(ids.flatten()).reshape(b, t, c.dim());
    for (int l = 0; l < c.nLayers(); l++) {
      LlamaWeights.Layer lw = w.layers.get(l);
      NDArray hN = rmsNorm(x, lw.attnNorm());
      NDArray qkv =
          lw.bqkv() == null
              ? Linear.linear(hN, lw.wqkv()).singletonOrThrow()
              : Linear.linear(hN, lw.wqkv(), lw.bqkv()).singletonOrThrow();
      NDArray q = heads(qkv, 0, h, b, t, hd);
      NDArray k = heads(qkv, h, kv, b, t, hd);
      NDArray v = heads(qkv, h + kv, kv, b, t, hd);
      q = rotate(q, rope, hd);
      k = rotate(k, rope, hd);
      long len = t;
      if (cache != null) {
        cache.write(l, start, k, v);
        len = start + t;
        k = cache.keys(l, (int) len);
        v = cache.values(l, (int) len);
      }
      NDArray qg = q.reshape(b, kv, rep, t, hd);
      NDArray kT = k.expandDims(2).transpose(0, 1, 2, 4, 3);
      NDArray scores = qg.matMul(kT).muli(scale).addi(mask);
      NDArray probs = scores.softmax(-1);
      NDArray o =
          probs
              .matMul(v.expandDims(2))
              .reshape(b, h, t, hd)
              .transpose(0, 2, 1, 3)
              .reshape(b, t, (long) h * hd);
      x = x.add(Linear.linear(o, lw.wo()).singletonOrThrow());
      NDArray f = rmsNorm(x, lw.ffnNorm());
      NDArray gu = Linear.linear(f, lw.w13()).singletonOrThrow();
      int hid = c.hiddenDim();
      NDArray g = gu.get(new NDIndex(":, :, :{}", hid));
      NDArray u = gu.get(new NDIndex(":, :, {}:", hid));
      NDArray act = g.mul(Activation.sigmoid(g)).muli(u);
      x = x.add(Linear.linear(act, lw.w2()).singletonOrThrow());
    }
    if (lastOnly) {
      x = x.get(new NDIndex(":, -1, :"));
    }
    x = rmsNorm(x, w.finalNorm);
    return Linear.linear(x, w.lmHead).singletonOrThrow();
  }

  private NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray inv = x.square().mean(new int[] {-1}, true).addi((float) c.normEps()).sqrt();
    return x.div(inv).muli(weight);
  }

  /** Slices heads [first, first+n) of the fused projection to [B, n, T, hd]. */
  private static NDArray heads(NDArray qkv, int first, int n, long b, long t, int hd) {
    NDArray s = qkv.get(new NDIndex(":, :, {}:{}", (long) first * hd, (long) (first + n) * hd));
    return s.reshape(b, t, n, hd).transpose(0, 2, 1, 3);
  }

  /** x * cos + rotate_half(x) * sin, rotate_half(x) = concat(-x2, x1). */
  private static NDArray rotate(NDArray x, NDArray[] rope, int hd) {
    int half = hd / 2;
    NDArray x1 = x.get(new NDIndex(":, :, :, :{}", half));
    NDArray x2 = x.get(new NDIndex(":, :, :, {}:", half));
    NDArray rot = NDArrays.concat(new NDList(x2.neg(), x1), -1);
    return x.mul(rope[0]).addi(rot.muli(rope[1]));
  }

  static Shape ropeShape(long b, long t, int hd) {
    return new Shape(b, 1, t, hd);
  }
}
