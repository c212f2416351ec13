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
 * @param acceptCosine a multiple-choice item retrieved by the embedding whose verifier rejects it
 *     is still a match when its cosine with the turn is at least this and the term evidence of
 *     {@code acceptMinInfo} agrees ({@code accept_cosine}, default 0.85; above 1: off). Rephrased
 *     MMLU questions keep the meaning and few of the words, so the term verifier alone misses them
 * @param acceptMinInfo the idf mass of the item's question terms the turn must contain for an
 *     {@code accept_cosine} match ({@code accept_min_info}, default 6)
 */
public record EmbeddingConfig(
    String model,
    Double minCosine,
    Integer topK,
    Integer batchSize,
    String device,
    Integer threadsPerTask,
    Double acceptCosine,
    Double acceptMinInfo)
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
    acceptCosine =
        Check.doubleInRange("paraphrase.embedding.accept_cosine", acceptCosine, 0.85, -1.0, 2.0);
    acceptMinInfo =
        Check.doubleInRange(
            "paraphrase.embedding.accept_min_info", acceptMinInfo, 6.0, 0.0, 1_000_000.0);
  }

  /** The settings of earlier versions (no {@code accept_*}): the accept path at its defaults. */
  public EmbeddingConfig(
      String model,
      Double minCosine,
      Integer topK,
      Integer batchSize,
      String device,
      Integer threadsPerTask) {
    this(model, minCosine, topK, batchSize, device, threadsPerTask, null, null);
  }

  /** {@code model} with every other setting at its default. */
  public static EmbeddingConfig of(String model) {
    return new EmbeddingConfig(model, null, null, null, null, null, null, null);
  }

  public EmbeddingConfig withMinCosine(double c) {
    return new EmbeddingConfig(
        model, c, topK, batchSize, device, threadsPerTask, acceptCosine, acceptMinInfo);
  }

  /** These settings with the accept path at {@code cosine} and {@code minInfo}. */
  public EmbeddingConfig withAccept(double cosine, double minInfo) {
    return new EmbeddingConfig(
        model, minCosine, topK, batchSize, device, threadsPerTask, cosine, minInfo);
  }
}
