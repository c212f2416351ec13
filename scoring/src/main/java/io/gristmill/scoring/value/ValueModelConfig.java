package io.gristmill.scoring.value;

import io.gristmill.core.Errors;
import io.gristmill.core.config.Check;
import io.gristmill.core.config.ConfigLoader;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * The config of {@code gristmill value-model train|evaluate|select} (see
 * conf/value-model-gsm8k.yaml).
 *
 * @param modelPath where the fitted pipeline and {@code metrics.json} are saved and loaded
 * @param train prompts with observed labels (train)
 * @param evaluate prompts to evaluate on; absent: the held-out split of {@code train}
 * @param pool the unrolled prompts to select from (select)
 * @param model features and regressor
 * @param testFraction share of {@code train} held out, by a seeded hash of the prompt id (default
 *     0.2)
 * @param calibrationFraction share of the training rows that fit an isotonic calibration of the
 *     regressor's output instead of the regressor (default 0.25; 0 turns calibration off). Without
 *     it a regularized model's predictions crowd around the mean, and "nearest 0.5" picks the
 *     easiest prompts instead of intermediate ones
 * @param seed seed of the split and the regressor (default 17)
 * @param clip clip predictions to [0, 1] (pass rates; default true)
 * @param calibrationBins equal-width bins of predictions in the calibration table (default 10)
 * @param m how many prompts {@code select} picks (default 256)
 * @param target the pass rate {@code select} aims at (default 0.5)
 * @param selectOutput the dataset folder ROOT/DATASET where {@code select} publishes its {@code
 *     selection} snapshot (the picked pool rows, whole, plus {@code predicted_pass_rate}; {@code
 *     gristmill rollout} reads it); absent: OUTPUT_ROOT/selection when the command has an output
 *     root, else nothing is written
 */
public record ValueModelConfig(
    String modelPath,
    PromptTable train,
    PromptTable evaluate,
    PromptTable pool,
    RegressorSpec model,
    Double testFraction,
    Double calibrationFraction,
    Long seed,
    Boolean clip,
    Integer calibrationBins,
    Integer m,
    Double target,
    String selectOutput)
    implements Serializable {
  public ValueModelConfig {
    modelPath = Check.requiredText("model_path", modelPath);
    model = Check.orDefault(model, RegressorSpec.defaults());
    testFraction = Check.doubleInRange("test_fraction", testFraction, 0.2, 0.0, 0.9);
    calibrationFraction =
        Check.doubleInRange("calibration_fraction", calibrationFraction, 0.25, 0.0, 0.9);
    seed = Check.longInRange("seed", seed, 17L, Long.MIN_VALUE, Long.MAX_VALUE);
    clip = Check.orDefault(clip, true);
    calibrationBins = Check.intInRange("calibration_bins", calibrationBins, 10, 1, 1000);
    m = Check.intInRange("m", m, 256, 1, Integer.MAX_VALUE);
    target = Check.doubleInRange("target", target, 0.5, -1e9, 1e9);
    if (selectOutput != null && selectOutput.isBlank()) {
      throw Errors.invalidValue(
          "select_output", selectOutput, "a dataset folder path or no key at all");
    }
  }

  public static ValueModelConfig load(Path file, List<String> overrides) {
    return ConfigLoader.load(file, ValueModelConfig.class, overrides);
  }
}
