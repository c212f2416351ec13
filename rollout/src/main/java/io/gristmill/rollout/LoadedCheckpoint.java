package io.gristmill.rollout;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** What a loader read: config, HF-named tensors, tokenizer, optional chat template, defaults. */
record LoadedCheckpoint(
    String modelId,
    ModelConfig config,
    Map<String, NDArray> tensors,
    TextTokenizer tokenizer,
    ChatTemplate chatTemplate,
    GenerationDefaults defaults) {}
