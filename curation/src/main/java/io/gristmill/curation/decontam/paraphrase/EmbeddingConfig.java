package io.gristmill.curation.decontam.paraphrase;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * The optional sentence-encoder signal of paraphrase matching (YAML {@code
 * decontamination.paraphrase.embedding}; absent: off). Benchmark items and checked turns are
 * encoded by a BERT-family model (mean pooling, see {@code
 * io.gristmill.rollout.encoder.BertEncoder}); the items nearest a turn by cosine are added to the
 * turn's retrieval candidates, which are then verified per benchmark kind as any other candidate.
 * See docs/decisions/paraphrase-decontamination.md.
 *
 * @param model the encoder folder ({@code config.json}, {@code model.safetensors}, {@code
 *     tokenizer.json}), local or any Hadoop path ({@code model}, required)
 * @param minCosine an item is a candidate when its cosine with the turn is at least this ({@code
 *     min_cosine}, default 0.8)
 * @param topK at most this many items per turn are added, nearest first ({@code top_k}, default 5)
 * @param batchSize texts per forward pass ({@code batch_size}, default 32)
 * @param device {@code cpu} (default), {@code auto} or {@code gpu} (alias {@code cuda}), as rollout
 * @param threadsPerTask libtorch intra-op threads on the CPU; 0 (default) uses {@code
 *     spark.task.cpus} ({@code threads_per_task})
 */
public record EmbeddingConfig(
    String model,
    Double minCosine,
    Integer topK,
    Integer batchSize,
    String device,
    Integer threadsPerTask)
    implements Serializable {
  public EmbeddingConfig {
    model = Check.requiredText("paraphrase.embedding.model", model);
    minCosine = Check.doubleInRange("paraphrase.embedding.min_cosine", minCosine, 0.8, -1.0, 1.0);
    topK = Check.intInRange("paraphrase.embedding.top_k", topK, 5, 1, 100);
    batchSize = Check.intInRange("paraphrase.embedding.batch_size", batchSize, 32, 1, 4096);
    device =
        Check.oneOf(
            "paraphrase.embedding.device", device, "cpu", List.of("auto", "cpu", "gpu", "cuda"));
    device = device.equals("cuda") ? "gpu" : device;
    threadsPerTask =
        Check.intInRange("paraphrase.embedding.threads_per_task", threadsPerTask, 0, 0, 1024);
  }

  /** {@code model} with every other setting at its default. */
  public static EmbeddingConfig of(String model) {
    return new EmbeddingConfig(model, null, null, null, null, null);
  }

  public EmbeddingConfig withMinCosine(double c) {
    return new EmbeddingConfig(model, c, topK, batchSize, device, threadsPerTask);
  }
}
