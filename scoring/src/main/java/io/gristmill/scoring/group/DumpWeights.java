package io.gristmill.scoring.group;

import java.util.ArrayList;
import java.util.List;

/**
 * DUMP's distribution-level curriculum: for each data source j, the mean absolute advantage over
 * its last W responses ({@code mean_j}), the number of responses seen ({@code n_j}), the total
 * {@code N = sum n_j}, the score {@code UCB_j = mean_j + c * sqrt(2 ln(N + 1) / (n_j + 1))} and the
 * sampling weight {@code softmax(UCB / tau)} over sources. The window is applied by the caller (the
 * Spark stage keeps the last W rows of each source); this class is the arithmetic.
 */
public final class DumpWeights {
  private DumpWeights() {}

  /** Per-source input: the windowed mean |advantage| and the number of responses seen. */
  public record SourceStat(String source, double meanAbsAdvantage, long seen) {}

  /** Per-source output row of the weights table. */
  public record Weight(
      String source, double meanAbsAdvantage, long seen, double ucb, double weight) {}

  /**
   * @param c exploration constant (> = 0)
   * @param tau softmax temperature (> 0)
   * @return one weight per input source, in input order; weights sum to 1
   */
  public static List<Weight> compute(List<SourceStat> stats, double c, double tau) {
    long total = 0;
    for (SourceStat s : stats) {
      total += s.seen();
    }
    double[] ucb = new double[stats.size()];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < stats.size(); i++) {
      SourceStat s = stats.get(i);
      ucb[i] = s.meanAbsAdvantage() + c * Math.sqrt(2 * Math.log(total + 1.0) / (s.seen() + 1.0));
      max = Math.max(max, ucb[i] / tau);
    }
    double z = 0;
    double[] e = new double[ucb.length];
    for (int i = 0; i < ucb.length; i++) {
      e[i] = Math.exp(ucb[i] / tau - max);
      z += e[i];
    }
    List<Weight> out = new ArrayList<>(stats.size());
    for (int i = 0; i < stats.size(); i++) {
      SourceStat s = stats.get(i);
      out.add(new Weight(s.source(), s.meanAbsAdvantage(), s.seen(), ucb[i], e[i] / z));
    }
    return out;
  }
}
