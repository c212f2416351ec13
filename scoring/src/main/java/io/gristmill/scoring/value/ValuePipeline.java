package io.gristmill.scoring.value;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.ml.regression.LinearRegression;

/**
 * The PCL value model as one MLlib {@link Pipeline}, so a saved model featurizes new prompts
 * itself: length features (log characters, words, digits, LaTeX marks, math operators, sentences)
 * by an {@link SQLTransformer}; word 1..n-grams hashed ({@link HashingTF}) and IDF-weighted;
 * one-hot metadata; then a linear or GBT regressor on the label (column {@link #RAW}), followed by
 * {@link #calibrator}. Output column {@code prediction}.
 */
final class ValuePipeline {
  /** The regressor's uncalibrated output column. */
  static final String RAW = "vm_raw";

  private ValuePipeline() {}

  /**
   * The stage after the fitted regressor: isotonic regression of the label on {@link #RAW} (fit on
   * a calibration split, so "predicted 0.5" means "observed about 0.5"), or a plain copy when
   * calibration is off. Either way the output column is {@code prediction}.
   */
  static PipelineStage calibrator(boolean isotonic) {
    if (isotonic) {
      return new IsotonicRegression()
          .setFeaturesCol(RAW)
          .setLabelCol(PromptTables.LABEL)
          .setPredictionCol("prediction");
    }
    return new SQLTransformer().setStatement("SELECT *, " + RAW + " AS prediction FROM __THIS__");
  }

  static Pipeline build(RegressorSpec spec, List<String> metadataColumns, long seed) {
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(
        new SQLTransformer()
            .setStatement(
                "SELECT *, log1p(length(vm_text)) AS f_chars,"
                    + " log1p(size(split(vm_text, '\\\\s+'))) AS f_words,"
                    + " log1p(length(regexp_replace(vm_text, '[^0-9]', ''))) AS f_digits,"
                    + " log1p(length(regexp_replace(vm_text, '[^\\\\\\\\$^_{}]', ''))) AS f_latex,"
                    + " log1p(length(regexp_replace(vm_text, '[^-+*/=<>]', ''))) AS f_ops,"
                    + " log1p(length(regexp_replace(vm_text, '[^.?!]', ''))) AS f_sentences"
                    + " FROM __THIS__"));
    stages.add(
        new RegexTokenizer()
            .setInputCol(PromptTables.TEXT)
            .setOutputCol("vm_g1")
            .setPattern("[^\\p{L}\\p{N}\\\\]+")
            .setMinTokenLength(1)
            .setToLowercase(true));
    List<String> assembled = new ArrayList<>();
    for (int n = 1; n <= spec.ngram(); n++) {
      String grams = "vm_g" + n;
      if (n > 1) {
        stages.add(new NGram().setN(n).setInputCol("vm_g1").setOutputCol(grams));
      }
      stages.add(
          new HashingTF()
              .setInputCol(grams)
              .setOutputCol("vm_tf" + n)
              .setNumFeatures(spec.numFeatures()));
      stages.add(new IDF().setInputCol("vm_tf" + n).setOutputCol("vm_idf" + n).setMinDocFreq(2));
      assembled.add("vm_idf" + n);
    }
    for (String m : metadataColumns) {
      stages.add(
          new StringIndexer()
              .setInputCol(m)
              .setOutputCol("vm_ix_" + m)
              .setHandleInvalid("keep")
              .setStringOrderType("alphabetAsc"));
      stages.add(new OneHotEncoder().setInputCol("vm_ix_" + m).setOutputCol("vm_oh_" + m));
      assembled.add("vm_oh_" + m);
    }
    assembled.addAll(List.of("f_chars", "f_words", "f_digits", "f_latex", "f_ops", "f_sentences"));
    stages.add(
        new VectorAssembler()
            .setInputCols(assembled.toArray(new String[0]))
            .setOutputCol("vm_features")
            .setHandleInvalid("keep"));
    if (spec.type().equals("gbt")) {
      stages.add(
          new GBTRegressor()
              .setFeaturesCol("vm_features")
              .setLabelCol(PromptTables.LABEL)
              .setMaxIter(spec.maxIter())
              .setMaxDepth(spec.maxDepth())
              .setPredictionCol(RAW)
              .setSeed(seed));
    } else {
      stages.add(
          new LinearRegression()
              .setFeaturesCol("vm_features")
              .setLabelCol(PromptTables.LABEL)
              .setMaxIter(spec.maxIter())
              .setRegParam(spec.regParam())
              .setElasticNetParam(spec.elasticNet())
              .setPredictionCol(RAW)
              .setStandardization(true));
    }
    return new Pipeline().setStages(stages.toArray(new PipelineStage[0]));
  }
}
