package io.gristmill.scoring.value;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * The value model's features and regressor (YAML {@code model}).
 *
 * @param type {@code linear} (ridge/elastic-net linear regression, default) or {@code gbt}
 *     (gradient-boosted trees)
 * @param numFeatures hashed n-gram buckets per n-gram order (default 4096)
 * @param ngram highest word n-gram order, 1 to 3 (default 2)
 * @param maxIter iterations (default 50)
 * @param regParam linear only: regularization strength (default 3.0)
 * @param elasticNet linear only: L1 share, 0 = ridge (default 0)
 * @param maxDepth gbt only: tree depth (default 4)
 */
public record RegressorSpec(
    String type,
    Integer numFeatures,
    Integer ngram,
    Integer maxIter,
    Double regParam,
    Double elasticNet,
    Integer maxDepth)
    implements Serializable {
  public RegressorSpec {
    type = Check.oneOf("type", type, "linear", List.of("linear", "gbt"));
    numFeatures = Check.intInRange("num_features", numFeatures, 4096, 16, 1 << 22);
    ngram = Check.intInRange("ngram", ngram, 2, 1, 3);
    maxIter = Check.intInRange("max_iter", maxIter, 50, 1, 10_000);
    regParam = Check.doubleInRange("reg_param", regParam, 3.0, 0.0, 1e6);
    elasticNet = Check.doubleInRange("elastic_net", elasticNet, 0.0, 0.0, 1.0);
    maxDepth = Check.intInRange("max_depth", maxDepth, 4, 1, 20);
  }

  public static RegressorSpec defaults() {
    return new RegressorSpec(null, null, null, null, null, null, null);
  }
}
