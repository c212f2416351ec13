package io.gristmill.curation.annotate.judge;

import io.gristmill.core.Errors;
import io.gristmill.core.config.Check;
import io.gristmill.rollout.ComputeDtype;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Judge annotation settings (YAML section {@code judge}): a causal LM asked Magpie-like questions
 * about every conversation through the rollout engine (see {@link JudgeSparkStage}).
 *
 * @param enabled run the stage (default true when the section is present)
 * @param model a HuggingFace checkpoint folder (or llama2.c file), local or any Hadoop path
 * @param device {@code auto} (default: the task's GPU when libtorch sees one, else the CPU), {@code
 *     cpu}, or {@code gpu} (alias {@code cuda}; fails with exit 5 without one)
 * @param dtype {@code auto} (default), {@code float32}, {@code float16}, {@code bfloat16}
 * @param batchSize sequences per forward pass (default 16)
 * @param maxNewTokens the most tokens of one answer (default 128)
 * @param aspects which questions to ask, in order (default {@code input_quality, difficulty,
 *     task_category, safety}; {@code judge_score} rates the assistant's answers 1..5)
 * @param templates the folder of the aspects' templates, {@code <aspect>.txt} (default {@code
 *     conf/annotation}); read once on the driver
 * @param maxInputChars the most characters of the conversation put into a template (default 4000;
 *     longer text is cut, and the cut is marked)
 * @param chatTemplate render the question with the model's chat template when it has one (default
 *     true)
 * @param threadsPerTask libtorch intra-op threads on the CPU; 0 (default) uses {@code
 *     spark.task.cpus}
 * @param sampleFraction the share of rows the judge is asked about (default 1.0), chosen by a
 *     seeded hash of the row id, so a rerun judges the same rows; the other rows keep their values
 *     and name {@code not_sampled} as the reason where a column stays null
 * @param seed the seed of that sample (default 0)
 * @param classifyRest when only a sample is judged and {@code task_category} is an aspect, train
 *     the task classifier on the sample's judge labels (held out by source) and label the rows the
 *     judge did not (default true)
 */
public record JudgeConfig(
    Boolean enabled,
    String model,
    String device,
    String dtype,
    Integer batchSize,
    Integer maxNewTokens,
    List<String> aspects,
    String templates,
    Integer maxInputChars,
    Boolean chatTemplate,
    Integer threadsPerTask,
    Double sampleFraction,
    Long seed,
    Boolean classifyRest)
    implements Serializable {
  public static final List<String> DEFAULT_ASPECTS =
      List.of(
          JudgeAspect.INPUT_QUALITY.key(),
          JudgeAspect.DIFFICULTY.key(),
          JudgeAspect.TASK_CATEGORY.key(),
          JudgeAspect.SAFETY.key());

  public JudgeConfig {
    enabled = Check.orDefault(enabled, true);
    model = Check.requiredText("judge.model", model);
    device = Check.oneOf("judge.device", device, "auto", List.of("auto", "cpu", "gpu", "cuda"));
    device = device.equals("cuda") ? "gpu" : device;
    dtype = Check.oneOf("judge.dtype", dtype, ComputeDtype.AUTO, ComputeDtype.NAMES);
    batchSize = Check.intInRange("judge.batch_size", batchSize, 16, 1, 4096);
    maxNewTokens = Check.intInRange("judge.max_new_tokens", maxNewTokens, 128, 1, 1 << 16);
    aspects = aspects == null || aspects.isEmpty() ? DEFAULT_ASPECTS : List.copyOf(aspects);
    List<String> seen = new ArrayList<>();
    for (String a : aspects) {
      JudgeAspect.of(a); // fails naming the known aspects
      if (seen.contains(a)) {
        throw Errors.invalidValue("judge.aspects", aspects, "each aspect at most once");
      }
      seen.add(a);
    }
    templates = Check.orDefault(templates, "conf/annotation");
    maxInputChars = Check.intInRange("judge.max_input_chars", maxInputChars, 4000, 16, 1 << 24);
    chatTemplate = Check.orDefault(chatTemplate, true);
    threadsPerTask = Check.intInRange("judge.threads_per_task", threadsPerTask, 0, 0, 1024);
    sampleFraction = Check.doubleInRange("judge.sample_fraction", sampleFraction, 1.0, 0.0, 1.0);
    if (sampleFraction <= 0.0) {
      throw Errors.invalidValue("judge.sample_fraction", sampleFraction, "a share in (0, 1]");
    }
    seed = Check.orDefault(seed, 0L);
    classifyRest = Check.orDefault(classifyRest, true);
  }

  /** True when only a sample of rows is judged. */
  public boolean sampled() {
    return sampleFraction < 1.0;
  }

  /** The configured aspects, in order. */
  public List<JudgeAspect> aspectList() {
    return aspects.stream().map(JudgeAspect::of).toList();
  }

  /** A config of {@code model} with every other setting at its default. */
  public static JudgeConfig of(String model) {
    return new JudgeConfig(
        null, model, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public JudgeConfig withAspects(List<String> a) {
    return new JudgeConfig(
        enabled,
        model,
        device,
        dtype,
        batchSize,
        maxNewTokens,
        a,
        templates,
        maxInputChars,
        chatTemplate,
        threadsPerTask,
        sampleFraction,
        seed,
        classifyRest);
  }

  public JudgeConfig withTemplates(String dir) {
    return new JudgeConfig(
        enabled,
        model,
        device,
        dtype,
        batchSize,
        maxNewTokens,
        aspects,
        dir,
        maxInputChars,
        chatTemplate,
        threadsPerTask,
        sampleFraction,
        seed,
        classifyRest);
  }

  public JudgeConfig withSample(double fraction, long sampleSeed) {
    return new JudgeConfig(
        enabled,
        model,
        device,
        dtype,
        batchSize,
        maxNewTokens,
        aspects,
        templates,
        maxInputChars,
        chatTemplate,
        threadsPerTask,
        fraction,
        sampleSeed,
        classifyRest);
  }

  public JudgeConfig withBatchSize(int b) {
    return new JudgeConfig(
        enabled,
        model,
        device,
        dtype,
        b,
        maxNewTokens,
        aspects,
        templates,
        maxInputChars,
        chatTemplate,
        threadsPerTask,
        sampleFraction,
        seed,
        classifyRest);
  }

  public JudgeConfig withMaxNewTokens(int n) {
    return new JudgeConfig(
        enabled,
        model,
        device,
        dtype,
        batchSize,
        n,
        aspects,
        templates,
        maxInputChars,
        chatTemplate,
        threadsPerTask,
        sampleFraction,
        seed,
        classifyRest);
  }
}
