package io.gristmill.curation.annotate.reward;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * Reward-model scoring settings (YAML section {@code reward_model}): a {@code
 * *ForSequenceClassification} checkpoint (as FsfairX-LLaMA3-RM) scores every conversation (see
 * {@link RewardSparkStage}).
 *
 * @param enabled run the stage (default true when the section is present)
 * @param model the checkpoint folder (with {@code score.weight}), local or any Hadoop path
 * @param device {@code auto} (default), {@code cpu}, or {@code gpu} (alias {@code cuda}; fails with
 *     exit 5 without one), as rollout
 * @param batchSize conversations per scoring call (default 64; the engine runs them in forward
 *     passes of {@code RewardModel.BATCH})
 * @param chatTemplate render the conversation with the model's chat template when it has one
 *     (default true); else {@code role: text} lines after BOS
 * @param threadsPerTask libtorch intra-op threads on the CPU; 0 (default) uses {@code
 *     spark.task.cpus}
 */
public record RewardConfig(
    Boolean enabled,
    String model,
    String device,
    Integer batchSize,
    Boolean chatTemplate,
    Integer threadsPerTask)
    implements Serializable {
  public RewardConfig {
    enabled = Check.orDefault(enabled, true);
    model = Check.requiredText("reward_model.model", model);
    device =
        Check.oneOf("reward_model.device", device, "auto", List.of("auto", "cpu", "gpu", "cuda"));
    device = device.equals("cuda") ? "gpu" : device;
    batchSize = Check.intInRange("reward_model.batch_size", batchSize, 64, 1, 1 << 16);
    chatTemplate = Check.orDefault(chatTemplate, true);
    threadsPerTask = Check.intInRange("reward_model.threads_per_task", threadsPerTask, 0, 0, 1024);
  }

  /** A config of {@code model} with every other setting at its default. */
  public static RewardConfig of(String model) {
    return new RewardConfig(null, model, null, null, null, null);
  }

  public RewardConfig withBatchSize(int b) {
    return new RewardConfig(enabled, model, device, b, chatTemplate, threadsPerTask);
  }
}
