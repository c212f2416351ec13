package io.gristmill.rollout.spark;

import io.gristmill.core.config.Check;
import io.gristmill.rollout.ComputeDtype;
import io.gristmill.rollout.GenerationParams;
import java.io.Serializable;
import java.util.List;

/**
 * A rollout run, bound from YAML by core {@code ConfigLoader} (see {@code conf/rollout.yaml}).
 *
 * @param model {@code model}: checkpoint folder (HF or llama2.c), local or any Hadoop path
 * @param prompts {@code prompts}: a dataset folder (its {@code LATEST} snapshot) or snapshot of
 *     kind prompt_set, conversation or selection (from curate or value-model select: prompt_id is
 *     the row's {@code id}, the prompt its first user turn, {@code data_source} and {@code
 *     ground_truth} are carried), a Parquet folder with the CONVERSATION columns, or a plain table
 *     (JSON lines or Parquet) of {@code {"id": ..., "prompt": ...}} with optional {@code
 *     data_source} and {@code ground_truth}
 * @param promptFormat {@code prompt_format}: {@code auto} (default; by extension), {@code
 *     conversations} or {@code jsonl}
 * @param promptField {@code prompt_field}: the JSON-lines field holding the prompt, default {@code
 *     prompt}
 * @param idField {@code id_field}: the plain table's id field, default {@code id} (then {@code
 *     prompt_id}); when the table has neither, the id is the stable content hash of the normalized
 *     prompt (32 hex characters, as every Gristmill id)
 * @param dataset {@code dataset}: output dataset name, default {@code rollouts}
 * @param modelId {@code model_id}: the id written to rows; default the checkpoint folder name
 * @param chatTemplate {@code chat_template}: apply the model's chat template when it has one
 *     (default true)
 * @param device {@code device}: {@code auto} (default: the task's Spark GPU if libtorch sees it,
 *     else the CPU), {@code cpu}, or {@code gpu} (alias {@code cuda}: a GPU or the run fails with
 *     exit 5). The manifest's properties record {@code requested_device} and {@code devices}, the
 *     device each task used
 * @param threadsPerTask {@code threads_per_task}: libtorch intra-op threads; 0 (default) uses
 *     {@code spark.task.cpus}
 * @param partitions {@code partitions}: prompt partitions; 0 (default) keeps the input's
 * @param generation {@code generation}: see {@link GenerationParams}
 * @param dtype {@code dtype}: {@code auto} (default: float32 on CPU, bfloat16 on a GPU), {@code
 *     float32}, {@code float16} or {@code bfloat16} (half dtypes on GPU only; see {@link
 *     io.gristmill.rollout.ComputeDtype}). The manifest records {@code requested_dtype} and {@code
 *     dtypes} (the dtype used on each device)
 */
public record RolloutConfig(
    String model,
    String prompts,
    String promptFormat,
    String promptField,
    String idField,
    String dataset,
    String modelId,
    Boolean chatTemplate,
    String device,
    Integer threadsPerTask,
    Integer partitions,
    GenerationParams generation,
    String dtype)
    implements Serializable {
  public RolloutConfig {
    model = Check.requiredText("model", model);
    prompts = Check.requiredText("prompts", prompts);
    promptFormat =
        Check.oneOf(
            "prompt_format", promptFormat, "auto", List.of("auto", "conversations", "jsonl"));
    promptField = Check.orDefault(promptField, "prompt");
    idField = Check.orDefault(idField, "id");
    dataset = Check.orDefault(dataset, "rollouts");
    chatTemplate = Check.orDefault(chatTemplate, true);
    device = Check.oneOf("device", device, "auto", List.of("auto", "cpu", "gpu", "cuda"));
    device = device.equals("cuda") ? "gpu" : device;
    threadsPerTask = Check.intInRange("threads_per_task", threadsPerTask, 0, 0, 1024);
    partitions = Check.intInRange("partitions", partitions, 0, 0, 1 << 20);
    generation = generation == null ? GenerationParams.defaults() : generation;
    dtype = Check.oneOf("dtype", dtype, ComputeDtype.AUTO, ComputeDtype.NAMES);
  }

  /** A config with {@code dtype: auto}. */
  public RolloutConfig(
      String model,
      String prompts,
      String promptFormat,
      String promptField,
      String idField,
      String dataset,
      String modelId,
      Boolean chatTemplate,
      String device,
      Integer threadsPerTask,
      Integer partitions,
      GenerationParams generation) {
    this(
        model,
        prompts,
        promptFormat,
        promptField,
        idField,
        dataset,
        modelId,
        chatTemplate,
        device,
        threadsPerTask,
        partitions,
        generation,
        null);
  }

  public RolloutConfig withGeneration(GenerationParams g) {
    return new RolloutConfig(
        model,
        prompts,
        promptFormat,
        promptField,
        idField,
        dataset,
        modelId,
        chatTemplate,
        device,
        threadsPerTask,
        partitions,
        g,
        dtype);
  }
}
