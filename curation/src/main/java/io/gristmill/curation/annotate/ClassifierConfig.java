package io.gristmill.curation.annotate;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Config of {@code gristmill classifier train|evaluate} ({@code conf/annotation/classifier.yaml}):
 * where the labeled rows come from, how they map to Magpie's 12 labels, and where the model goes.
 *
 * @param model the folder the trained model is saved to (and {@code annotate.classifier} reads)
 * @param sources labeled inputs
 * @param holdoutFraction per label, the share of rows held out for evaluation, taken as whole
 *     groups (source datasets or templates), never single rows (default 0.25)
 * @param seed orders groups for the holdout (default 17)
 * @param numFeatures hashed term features (default 2^18)
 * @param maxIter logistic-regression iterations (default 60)
 * @param regParam L2 regularization (default 0.01)
 * @param maxPerGroup at most this many rows of one group enter training (default 400; T0 has 200
 *     per template and GPTeacher thousands per subset, so large groups do not swamp small labels)
 */
public record ClassifierConfig(
    String model,
    List<Source> sources,
    Double holdoutFraction,
    Long seed,
    Integer numFeatures,
    Integer maxIter,
    Double regParam,
    Integer maxPerGroup)
    implements Serializable {

  /**
   * One labeled input.
   *
   * @param name the source name (the default group)
   * @param path a file or glob (JSON arrays and JSONL)
   * @param text a Spark SQL expression for the text, e.g. {@code question} or {@code
   *     history[0].user}
   * @param label a Spark SQL expression for the raw label (a literal such as {@code 'Math'} for
   *     whole-source labels)
   * @param labels raw label prefix to Magpie label (longest prefix wins; absent: the raw label must
   *     be a Magpie label); rows whose raw label matches nothing are left out and counted
   * @param group a Spark SQL expression for the holdout group (default: the matched prefix key, or
   *     the source name)
   */
  public record Source(
      String name, String path, String text, String label, Map<String, String> labels, String group)
      implements Serializable {
    public Source {
      Check.requiredText("classifier.sources.name", name);
      Check.requiredText("classifier.sources.path", path);
      Check.requiredText("classifier.sources.text", text);
      Check.requiredText("classifier.sources.label", label);
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      for (String v : labels.values()) {
        if (TaskCategories.canonical(v).isEmpty()) {
          throw io.gristmill.core.Errors.invalidValue(
              "classifier.sources.labels", v, "one of " + TaskCategories.LABELS);
        }
      }
    }
  }

  public ClassifierConfig {
    Check.requiredText("model", model);
    Check.required("sources", sources);
    sources = List.copyOf(sources);
    holdoutFraction = Check.doubleInRange("holdout_fraction", holdoutFraction, 0.25, 0.0, 0.9);
    seed = Check.orDefault(seed, 17L);
    numFeatures = Check.intInRange("num_features", numFeatures, 1 << 18, 64, 1 << 24);
    maxIter = Check.intInRange("max_iter", maxIter, 60, 1, 10_000);
    regParam = Check.doubleInRange("reg_param", regParam, 0.01, 0.0, 100.0);
    maxPerGroup = Check.intInRange("max_per_group", maxPerGroup, 400, 1, 10_000_000);
  }
}
