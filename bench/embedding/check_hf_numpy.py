#!/usr/bin/python3
"""Runs HF BertModel's forward pass in plain numpy from the converted folder (config.json and
model.safetensors, read with onnx_to_hf's reader; nothing from the ONNX file) on the token ids
of reference-embeddings.json, mean-pools and L2-normalizes, and compares with the ONNX Runtime
vectors there. A wrong name, a missed transpose or a wrong config value shows up as a large
difference.

usage: check_hf_numpy.py MODEL_DIR [TOLERANCE]    (default max |diff| 1e-4)
"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_to_hf import read_safetensors  # noqa: E402


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def linear(x, w, b):
    return x @ w.T + b  # w is [out, in], as PyTorch's Linear


def encode(ids, W, c):
    """Last hidden state [seq, hidden] of one unpadded sequence, float64."""
    h, heads = c["hidden_size"], c["num_attention_heads"]
    d, eps = h // heads, c["layer_norm_eps"]
    t = len(ids)
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][
        :t] + W["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"], eps)
    for n in range(c["num_hidden_layers"]):
        p = f"encoder.layer.{n}."

        def lin(name, v):
            return linear(v, W[p + name + ".weight"], W[p + name + ".bias"])

        q = lin("attention.self.query", x).reshape(t, heads, d).transpose(1, 0, 2)
        k = lin("attention.self.key", x).reshape(t, heads, d).transpose(1, 0, 2)
        v = lin("attention.self.value", x).reshape(t, heads, d).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(1, 0, 2).reshape(t, h)
        x = layer_norm(lin("attention.output.dense", a) + x, W[p + "attention.output.LayerNorm.weight"],
                       W[p + "attention.output.LayerNorm.bias"], eps)
        f = lin("output.dense", gelu(lin("intermediate.dense", x)))
        x = layer_norm(f + x, W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"], eps)
    return x


def main(model_dir, tol=1e-4):
    with open(os.path.join(model_dir, "config.json")) as f:
        c = json.load(f)
    if c["hidden_act"] != "gelu":
        sys.exit(f"check_hf_numpy: only hidden_act gelu is implemented, got {c['hidden_act']}")
    W = {k: v.astype(np.float64) for k, v in read_safetensors(os.path.join(model_dir, "model.safetensors")).items()}
    with open(os.path.join(model_dir, "reference-embeddings.json")) as f:
        ref = json.load(f)
    worst = 0.0
    for item in ref["sentences"]:
        hidden = encode(np.array(item["input_ids"]), W, c)
        v = hidden.mean(0)
        v /= np.linalg.norm(v)
        want = np.array(item["embedding"])
        diff = float(np.abs(v - want).max())
        worst = max(worst, diff)
        print(f"max |diff| {diff:.2e}  cosine {float(v @ want):.7f}  {len(item['input_ids']):3d} ids  "
              f"{item['sentence'][:60]!r}")
    print(f"numpy BertModel from model.safetensors vs ONNX Runtime: worst max |diff| {worst:.2e}"
          f" over {len(ref['sentences'])} sentences (tolerance {tol:g})")
    if worst > tol:
        sys.exit("check_hf_numpy: FAILED")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(sys.argv[1], *(float(a) for a in sys.argv[2:]))
