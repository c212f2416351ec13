#!/usr/bin/python3
"""Converts a BERT-family ONNX export (all-MiniLM-L6-v2 from langchain4j) into a HuggingFace
BertModel folder: config.json, model.safetensors (float32) and tokenizer.json.

Named initializers keep their names. MatMul weights that the exporter renamed (onnx::MatMul_N)
are named by walking the graph: MatMul(x, W) feeds an Add with a named bias B, so W is the
weight of B's layer; ONNX stores it [in, out] and it is written [out, in] as PyTorch's Linear.
config.json is derived from the shapes and the graph's constants; every expected weight is
checked for presence and shape, and anything unexpected fails the conversion.

usage: onnx_to_hf.py MODEL.onnx TOKENIZER.json OUT_DIR
"""
import json
import os
import shutil
import struct
import sys

import numpy as np
import onnx
from onnx import numpy_helper

# Exporter buffers that are not weights of HF's BertModel state dict.
SKIPPED_BUFFERS = {"embeddings.position_ids"}


def fail(msg):
    sys.exit("onnx_to_hf: " + msg)


def constant_values(graph, inits):
    """Scalar or 1-d values of Constant nodes and initializers, by tensor name."""
    values = {}
    for node in graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value":
                    values[node.output[0]] = numpy_helper.to_array(attr.t)
    for name, arr in inits.items():
        if arr.size <= 8:
            values[name] = arr
    return values


def map_weights(graph, inits):
    """Returns {hf_name: array} and a list of (hf_name, onnx_name, how) rows."""
    consumers = {}
    for node in graph.node:
        for x in node.input:
            consumers.setdefault(x, []).append(node)
    out, rows, used = {}, [], set()

    def put(hf, onnx_name, arr, how):
        if hf in out:
            fail(f"Cannot map {onnx_name}: {hf} is already mapped from another tensor")
        out[hf] = arr
        used.add(onnx_name)
        rows.append((hf, onnx_name, how, list(arr.shape)))

    for node in graph.node:
        if node.op_type not in ("MatMul", "Gemm"):
            continue
        weight = [x for x in node.input[1:2] if x in inits]
        if not weight:
            continue  # activation x activation (attention scores)
        w_name = weight[0]
        w = inits[w_name]
        if node.op_type == "Gemm":
            attrs = {a.name: a.i for a in node.attribute}
            if len(node.input) < 3 or node.input[2] not in inits:
                fail(f"Cannot map Gemm {node.name}: no bias initializer")
            bias_name = node.input[2]
            w_out_in = w if attrs.get("transB", 0) else w.T
        else:
            adds = [n for n in consumers.get(node.output[0], []) if n.op_type == "Add"]
            if len(adds) != 1:
                fail(f"Cannot map {w_name}: its MatMul feeds {len(adds)} Add nodes, expected 1")
            biases = [x for x in adds[0].input if x in inits]
            if len(biases) != 1:
                fail(f"Cannot map {w_name}: the Add after its MatMul has no bias initializer")
            bias_name = biases[0]
            w_out_in = w.T
        if not bias_name.endswith(".bias"):
            fail(f"Cannot map {w_name}: bias {bias_name} is not named <layer>.bias")
        if w_out_in.shape[0] != inits[bias_name].shape[0]:
            fail(f"Cannot map {w_name}: shape {list(w.shape)} does not match bias {bias_name}")
        how = "graph MatMul->Add(bias), transposed" if w_name != bias_name[:-5] + ".weight" else "named, transposed"
        put(bias_name[:-5] + ".weight", w_name, np.ascontiguousarray(w_out_in), how)

    for name, arr in inits.items():
        if name in used or name in SKIPPED_BUFFERS:
            continue
        if name.startswith("onnx::"):
            fail(f"Cannot map initializer {name} {list(arr.shape)}: not consumed by a MatMul/Gemm")
        put(name, name, arr, "named")  # names the exporter kept; unknown ones fail the shape check
    return out, rows


def derive_config(graph, inits, weights):
    consts = constant_values(graph, inits)
    by_type = {}
    for node in graph.node:
        by_type.setdefault(node.op_type, []).append(node)
    producers = {o: n for n in graph.node for o in n.output}

    # LayerNorm eps: Sqrt(Add(ReduceMean(...), eps)); all must agree.
    eps = set()
    for sq in by_type.get("Sqrt", []):
        add = producers.get(sq.input[0])
        if add is not None and add.op_type == "Add":
            for x in add.input:
                if x in consts and consts[x].size == 1:
                    eps.add(float(consts[x].reshape(-1)[0]))
    if len(eps) != 1:
        fail(f"Cannot derive layer_norm_eps: found {sorted(eps)}")
    eps = float(np.float32(eps.pop()))
    eps = float(f"{eps:.6g}")

    # Head size: attention scores MatMul(q, k^T) / sqrt(head_dim).
    head_dims = set()
    for div in by_type.get("Div", []):
        mm = producers.get(div.input[0])
        if mm is not None and mm.op_type == "MatMul" and not any(x in inits for x in mm.input):
            c = consts.get(div.input[1])
            if c is not None and c.size == 1:
                head_dims.add(int(round(float(c.reshape(-1)[0]) ** 2)))
    if len(head_dims) != 1:
        fail(f"Cannot derive the attention head size: found {sorted(head_dims)}")
    head_dim = head_dims.pop()

    ops = set(by_type)
    if "Erf" in ops:
        act = "gelu"
    elif "Tanh" in ops:
        act = "gelu_new"
    else:
        fail("Cannot derive hidden_act: no Erf (gelu) or Tanh (gelu_new) node in the graph")

    vocab, hidden = weights["embeddings.word_embeddings.weight"].shape
    layers = sorted({int(k.split(".")[2]) for k in weights if k.startswith("encoder.layer.")})
    if layers != list(range(len(layers))):
        fail(f"Cannot derive num_hidden_layers: layer indices {layers} are not 0..n-1")
    if hidden % head_dim:
        fail(f"Cannot derive num_attention_heads: hidden {hidden} % head size {head_dim} != 0")
    heads = hidden // head_dim
    # The Reshape targets [batch, seq, heads, head_dim] must agree.
    reshape_pairs = set()
    for cat in by_type.get("Concat", []):
        vals = [consts.get(x) for x in cat.input]
        tail = [int(v.reshape(-1)[0]) for v in vals[2:] if v is not None and v.size == 1]
        if len(cat.input) == 4 and len(tail) == 2:
            reshape_pairs.add(tuple(tail))
    if reshape_pairs and reshape_pairs != {(heads, head_dim)}:
        fail(f"Cannot derive num_attention_heads: reshapes {reshape_pairs} vs {(heads, head_dim)}")

    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": int(vocab),
        "hidden_size": int(hidden),
        "num_hidden_layers": len(layers),
        "num_attention_heads": heads,
        "intermediate_size": int(weights["encoder.layer.0.intermediate.dense.weight"].shape[0]),
        "max_position_embeddings": int(weights["embeddings.position_embeddings.weight"].shape[0]),
        "type_vocab_size": int(weights["embeddings.token_type_embeddings.weight"].shape[0]),
        "layer_norm_eps": eps,
        "hidden_act": act,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def expected_shapes(c):
    h, i = c["hidden_size"], c["intermediate_size"]
    shapes = {
        "embeddings.word_embeddings.weight": [c["vocab_size"], h],
        "embeddings.position_embeddings.weight": [c["max_position_embeddings"], h],
        "embeddings.token_type_embeddings.weight": [c["type_vocab_size"], h],
        "embeddings.LayerNorm.weight": [h],
        "embeddings.LayerNorm.bias": [h],
    }
    for n in range(c["num_hidden_layers"]):
        p = f"encoder.layer.{n}."
        for lin, (o, k) in {
            "attention.self.query": (h, h),
            "attention.self.key": (h, h),
            "attention.self.value": (h, h),
            "attention.output.dense": (h, h),
            "intermediate.dense": (i, h),
            "output.dense": (h, i),
        }.items():
            shapes[p + lin + ".weight"] = [o, k]
            shapes[p + lin + ".bias"] = [o]
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            shapes[p + ln + ".weight"] = [h]
            shapes[p + ln + ".bias"] = [h]
    return shapes


def write_safetensors(path, tensors):
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name in sorted(tensors):
        arr = tensors[name]
        n = arr.size * 4
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + n]}
        offset += n
    blob = json.dumps(header, separators=(",", ":")).encode("utf-8")
    blob += b" " * (-len(blob) % 8)  # data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for name in sorted(tensors):
            f.write(np.ascontiguousarray(tensors[name], dtype="<f4").tobytes())


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    header.pop("__metadata__", None)
    return {k: np.frombuffer(data[v["data_offsets"][0] : v["data_offsets"][1]], "<f4").reshape(v["shape"])
            for k, v in header.items()}


def main(onnx_path, tokenizer_path, out_dir):
    model = onnx.load(onnx_path)
    graph = model.graph
    inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for name, arr in inits.items():
        if arr.dtype not in (np.float32, np.int64):
            fail(f"Cannot convert {name}: dtype {arr.dtype}, expected float32")
    weights, rows = map_weights(graph, inits)
    config = derive_config(graph, inits, weights)
    want = expected_shapes(config)
    missing = sorted(set(want) - set(weights))
    extra = sorted(set(weights) - set(want))
    bad = sorted(k for k in want if k in weights and list(weights[k].shape) != want[k])
    if missing or extra or bad:
        fail("weights do not match a BertModel:\n  missing: %s\n  unexpected: %s\n  wrong shape: %s"
             % (missing, extra, [(k, list(weights[k].shape), want[k]) for k in bad]))

    print(f"{'HF name':<52} {'ONNX initializer':<48} {'shape':<14} how")
    for hf, src, how, shape in sorted(rows, key=lambda r: r[0]):
        print(f"{hf:<52} {src:<48} {str(shape):<14} {how}")
    print(f"skipped buffers: {sorted(SKIPPED_BUFFERS & set(inits))}")
    print(f"mapped {len(weights)} tensors, {sum(a.size for a in weights.values()):,} parameters "
          f"({sum(1 for r in rows if r[1].startswith('onnx::'))} by graph walk)")

    os.makedirs(out_dir, exist_ok=True)
    st = os.path.join(out_dir, "model.safetensors")
    write_safetensors(st, weights)
    back = read_safetensors(st)
    if set(back) != set(weights) or any(not np.array_equal(back[k], weights[k]) for k in weights):
        fail(f"Cannot verify {st}: read-back differs from what was written")
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    shutil.copyfile(tokenizer_path, os.path.join(out_dir, "tokenizer.json"))
    print(json.dumps(config, indent=2))
    for fn in ("config.json", "model.safetensors", "tokenizer.json"):
        print(f"wrote {os.path.join(out_dir, fn)} ({os.path.getsize(os.path.join(out_dir, fn)):,} bytes)")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
