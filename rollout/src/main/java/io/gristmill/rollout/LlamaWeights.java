package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gristmill.core.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The decoder's weights in one float dtype (float32 on CPU; float16 or bfloat16 may be chosen on a
 * GPU, see {@link ComputeDtype}), one array per projection (fusing q/k/v or gate/up would save a
 * matrix product but cost slicing ops, which are several times dearer than a small product through
 * DJL). The query projection is pre-scaled by 1/sqrt(head size); with Qwen3's q norm (which would
 * undo that) the q norm weight carries the scale instead. Built from tensors named as in
 * HuggingFace Llama checkpoints; a classifier's head is {@code score.weight}. All arrays live in
 * the given manager.
 */
final class LlamaWeights {
  final NDArray embed;
  final NDArray finalNorm;
  final NDArray lmHead;
  final List<Layer> layers;
  final DataType dtype;

  record Layer(
      NDArray attnNorm,
      NDArray wQkv,
      NDArray bQkv,
      NDArray qNorm,
      NDArray kNorm,
      NDArray wo,
      NDArray ffnNorm,
      NDArray wGateUp,
      NDArray wDown) {}

  private LlamaWeights(
      NDArray embed, NDArray finalNorm, NDArray lmHead, List<Layer> layers, DataType dtype) {
    this.dtype = dtype;
    this.embed = embed;
    this.finalNorm = finalNorm;
    this.lmHead = lmHead;
    this.layers = List.copyOf(layers);
  }

  /**
   * Assembles weights from HF-named tensors (any float dtype; converted to {@code dtype} in {@code
   * manager}). A missing tensor or a wrong shape fails with the tensor name.
   */
  static LlamaWeights fromNamed(
      Map<String, NDArray> t, ModelConfig c, NDManager manager, String origin, DataType dtype) {
    int hd = c.headDim();
    int qOut = c.nHeads() * hd;
    int kvOut = c.nKvHeads() * hd;
    Take take = (name, rows, cols) -> take(t, name, rows, cols, manager, origin, dtype);
    NDArray embed = take.of("model.embed_tokens.weight", c.vocabSize(), c.dim());
    NDArray head;
    if (c.isClassifier()) {
      head = take.of("score.weight", c.numLabels(), c.dim());
    } else {
      head =
          c.tiedEmbeddings() || !t.containsKey("lm_head.weight")
              ? embed
              : take.of("lm_head.weight", c.vocabSize(), c.dim());
    }
    NDArray norm = take.of("model.norm.weight", c.dim(), -1);
    List<Layer> layers = new ArrayList<>();
    float scale = (float) (1.0 / Math.sqrt(hd));
    for (int i = 0; i < c.nLayers(); i++) {
      String p = "model.layers." + i + ".";
      NDArray bq = null;
      NDArray bk = null;
      NDArray bv = null;
      // with a q norm the projection's scale would be normalized away: the norm weight takes it
      float qScale = c.qkNorm() ? 1f : scale;
      if (c.qkvBias()) {
        bq = take.of(p + "self_attn.q_proj.bias", qOut, -1).muli(qScale);
        bk = take.of(p + "self_attn.k_proj.bias", kvOut, -1);
        bv = take.of(p + "self_attn.v_proj.bias", kvOut, -1);
      }
      NDArray qNorm =
          c.qkNorm() ? take.of(p + "self_attn.q_norm.weight", hd, -1).muli(scale) : null;
      NDArray kNorm = c.qkNorm() ? take.of(p + "self_attn.k_norm.weight", hd, -1) : null;
      layers.add(
          new Layer(
              take.of(p + "input_layernorm.weight", c.dim(), -1),
              fused(
                  take.of(p + "self_attn.q_proj.weight", qOut, c.dim()).muli(qScale),
                  take.of(p + "self_attn.k_proj.weight", kvOut, c.dim()),
                  take.of(p + "self_attn.v_proj.weight", kvOut, c.dim())),
              bq == null ? null : fused(bq, bk, bv),
              qNorm,
              kNorm,
              take.of(p + "self_attn.o_proj.weight", c.dim(), qOut),
              take.of(p + "post_attention_layernorm.weight", c.dim(), -1),
              fused(
                  take.of(p + "mlp.gate_proj.weight", c.hiddenDim(), c.dim()),
                  take.of(p + "mlp.up_proj.weight", c.hiddenDim(), c.dim())),
              take.of(p + "mlp.down_proj.weight", c.dim(), c.hiddenDim())));
    }
    return new LlamaWeights(embed, norm, head, layers, dtype);
  }

  /**
   * Projections that read the same input as one weight (rows of the parts in order): q, k and v ([q
   * + 2 kv heads x hd, dim], and their biases), and gate and up ([2 * hidden, dim]). One product
   * per group and step instead of two or three: on small models the per-call cost dominates. The
   * forward splits the product into views whose rows are strided, so libtorch's sigmoid on the gate
   * runs row by row: on a contiguous [B, hidden] tensor its vectorized loop would leave the flat
   * tensor's last elements to a scalar exp that rounds differently, and which elements those are
   * depends on B.
   */
  private static NDArray fused(NDArray... parts) {
    NDArray fused = NDArrays.concat(new NDList(parts), 0);
    for (NDArray a : parts) {
      a.close();
    }
    return fused;
  }

  /** One named tensor of the checkpoint, checked and converted. */
  private interface Take {
    NDArray of(String name, long rows, long cols);
  }

  private static NDArray take(
      Map<String, NDArray> t,
      String name,
      long rows,
      long cols,
      NDManager m,
      String origin,
      DataType dtype) {
    NDArray a = t.get(name);
    Shape want = cols < 0 ? new Shape(rows) : new Shape(rows, cols);
    if (a == null) {
      throw Errors.modelTensorMissing(origin, name, want.toString());
    }
    if (!a.getShape().equals(want)) {
      throw Errors.modelTensorShape(origin, name, want.toString(), a.getShape().toString());
    }
    NDArray f = a.getDataType() == dtype ? a.duplicate() : a.toType(dtype, true);
    f.attach(m);
    return f;
  }
}
