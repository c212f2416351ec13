package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gristmill.core.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The decoder's weights in float32, one array per projection (fusing q/k/v or gate/up would save a
 * matrix product but cost slicing ops, which are several times dearer than a small product through
 * DJL). The query projection is pre-scaled by 1/sqrt(head size). Built from tensors named as in
 * HuggingFace Llama checkpoints; all arrays live in the given manager.
 */
final class LlamaWeights {
  final NDArray embed;
  final NDArray finalNorm;
  final NDArray lmHead;
  final List<Layer> layers;

  record Layer(
      NDArray attnNorm,
      NDArray wq,
      NDArray wk,
      NDArray wv,
      NDArray bq,
      NDArray bk,
      NDArray bv,
      NDArray wo,
      NDArray ffnNorm,
      NDArray wGate,
      NDArray wUp,
      NDArray wDown) {}

  private LlamaWeights(NDArray embed, NDArray finalNorm, NDArray lmHead, List<Layer> layers) {
    this.embed = embed;
    this.finalNorm = finalNorm;
    this.lmHead = lmHead;
    this.layers = List.copyOf(layers);
  }

  /**
   * Assembles weights from HF-named tensors (any float dtype; converted to float32 in {@code
   * manager}). A missing tensor or a wrong shape fails with the tensor name.
   */
  static LlamaWeights fromNamed(
      Map<String, NDArray> t, ModelConfig c, NDManager manager, String origin) {
    int hd = c.headDim();
    int qOut = c.nHeads() * hd;
    int kvOut = c.nKvHeads() * hd;
    NDArray embed = take(t, "model.embed_tokens.weight", c.vocabSize(), c.dim(), manager, origin);
    NDArray head =
        c.tiedEmbeddings() || !t.containsKey("lm_head.weight")
            ? embed
            : take(t, "lm_head.weight", c.vocabSize(), c.dim(), manager, origin);
    NDArray norm = take(t, "model.norm.weight", c.dim(), -1, manager, origin);
    List<Layer> layers = new ArrayList<>();
    float scale = (float) (1.0 / Math.sqrt(hd));
    for (int i = 0; i < c.nLayers(); i++) {
      String p = "model.layers." + i + ".";
      NDArray bq = null;
      NDArray bk = null;
      NDArray bv = null;
      if (c.qkvBias()) {
        bq = take(t, p + "self_attn.q_proj.bias", qOut, -1, manager, origin).muli(scale);
        bk = take(t, p + "self_attn.k_proj.bias", kvOut, -1, manager, origin);
        bv = take(t, p + "self_attn.v_proj.bias", kvOut, -1, manager, origin);
      }
      layers.add(
          new Layer(
              take(t, p + "input_layernorm.weight", c.dim(), -1, manager, origin),
              take(t, p + "self_attn.q_proj.weight", qOut, c.dim(), manager, origin).muli(scale),
              take(t, p + "self_attn.k_proj.weight", kvOut, c.dim(), manager, origin),
              take(t, p + "self_attn.v_proj.weight", kvOut, c.dim(), manager, origin),
              bq,
              bk,
              bv,
              take(t, p + "self_attn.o_proj.weight", c.dim(), qOut, manager, origin),
              take(t, p + "post_attention_layernorm.weight", c.dim(), -1, manager, origin),
              take(t, p + "mlp.gate_proj.weight", c.hiddenDim(), c.dim(), manager, origin),
              take(t, p + "mlp.up_proj.weight", c.hiddenDim(), c.dim(), manager, origin),
              take(t, p + "mlp.down_proj.weight", c.dim(), c.hiddenDim(), manager, origin)));
    }
    return new LlamaWeights(embed, norm, head, layers);
  }

  private static NDArray take(
      Map<String, NDArray> t, String name, long rows, long cols, NDManager m, String origin) {
    NDArray a = t.get(name);
    Shape want = cols < 0 ? new Shape(rows) : new Shape(rows, cols);
    if (a == null) {
      throw Errors.modelTensorMissing(origin, name, want.toString());
    }
    if (!a.getShape().equals(want)) {
      throw Errors.modelTensorShape(origin, name, want.toString(), a.getShape().toString());
    }
    NDArray f =
        a.getDataType() == DataType.FLOAT32 ? a.duplicate() : a.toType(DataType.FLOAT32, true);
    f.attach(m);
    return f;
  }
}
