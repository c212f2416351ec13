package io.gristmill.scoring.value;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.stat.Correlation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How well predictions rank and fit their labels, computed in Spark (only one row per calibration
 * bin reaches the driver).
 *
 * @param rows evaluated prompts
 * @param spearman rank correlation of prediction and label (MLlib {@link Correlation})
 * @param pearson linear correlation
 * @param mse mean squared error against the label
 * @param brier Brier score over individual rollouts, {@code sum[c(1-p)^2 + (n-c)p^2] / sum n}, when
 *     the table has samples and correct counts; else NaN
 * @param brierBaseline the same for a constant prediction of the training mean (NaN without counts)
 * @param calibration one bin per non-empty equal-width bin of the prediction
 */
public record ValueMetrics(
    long rows,
    double spearman,
    double pearson,
    double mse,
    double brier,
    double brierBaseline,
    List<Bin> calibration) {

  /** A calibration bin: predictions in [low, high), their mean, and the mean observed label. */
  public record Bin(
      double low, double high, long count, double meanPredicted, double meanObserved) {}

  static ValueMetrics of(Dataset<Row> scored, String prediction, double trainMean, int bins) {
    Dataset<Row> v =
        new VectorAssembler()
            .setInputCols(new String[] {prediction, PromptTables.LABEL})
            .setOutputCol("vm_pair")
            .transform(scored.select(col(prediction), col(PromptTables.LABEL)));
    Matrix sp = Correlation.corr(v, "vm_pair", "spearman").head().getAs(0);
    Matrix pe = Correlation.corr(v, "vm_pair", "pearson").head().getAs(0);
    var p = col(prediction);
    var c = col("correct");
    var n = col("samples");
    Row agg =
        scored
            .agg(
                count("*"),
                avg(pow(p.minus(col(PromptTables.LABEL)), 2)),
                sum(c.multiply(pow(lit(1).minus(p), 2)).plus(n.minus(c).multiply(pow(p, 2)))),
                sum(
                    c.multiply(Math.pow(1 - trainMean, 2))
                        .plus(n.minus(c).multiply(trainMean * trainMean))),
                sum(n))
            .head();
    boolean counts = !agg.isNullAt(4) && agg.getLong(4) > 0;
    double brier = counts ? agg.getDouble(2) / agg.getLong(4) : Double.NaN;
    double base = counts ? agg.getDouble(3) / agg.getLong(4) : Double.NaN;
    List<Bin> out = new ArrayList<>();
    var bin = least(greatest(floor(p.multiply(bins)), lit(0)), lit(bins - 1));
    for (Row r :
        scored
            .groupBy(bin.as("b"))
            .agg(count("*"), avg(p), avg(col(PromptTables.LABEL)))
            .orderBy("b")
            .collectAsList()) {
      long b = r.getLong(0);
      out.add(
          new Bin(
              b / (double) bins,
              (b + 1) / (double) bins,
              r.getLong(1),
              r.getDouble(2),
              r.getDouble(3)));
    }
    return new ValueMetrics(
        agg.getLong(0), sp.apply(0, 1), pe.apply(0, 1), agg.getDouble(1), brier, base, out);
  }
}
