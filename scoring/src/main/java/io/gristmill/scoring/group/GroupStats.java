package io.gristmill.scoring.group;

/**
 * Per-prompt reward statistics and advantages of one group of rollouts.
 *
 * <ul>
 *   <li>GRPO: {@code A_i = (r_i - mean) / (std + eps)}, std over the group ({@code sample}: with
 *       Bessel's correction, as verl computes it; or {@code population});
 *   <li>Dr.GRPO: {@code A_i = r_i - mean} (no division by std);
 *   <li>DAPO dynamic sampling: a group whose rewards are all equal carries no gradient and is
 *       marked for filtering ({@link #allEqual}).
 * </ul>
 *
 * A group of size 1 has std 0, advantage 0 under both estimators (no baseline can be formed), and
 * is all-equal.
 *
 * @param count group size
 * @param mean mean reward
 * @param std standard deviation (sample or population, see {@link #of})
 * @param allEqual whether every reward of the group is the same (DAPO filters such groups)
 * @param grpo GRPO advantage per rollout, in input order
 * @param drGrpo Dr.GRPO advantage per rollout, in input order
 */
public record GroupStats(
    int count, double mean, double std, boolean allEqual, double[] grpo, double[] drGrpo) {

  /**
   * @param rewards the group's rewards, in the order advantages are wanted
   * @param eps added to std in the GRPO denominator (e.g. 1e-6)
   * @param sampleStd true for the Bessel-corrected (n-1) std, false for the population (n) std
   */
  public static GroupStats of(double[] rewards, double eps, boolean sampleStd) {
    int n = rewards.length;
    if (n == 0) {
      throw new IllegalArgumentException("Cannot compute group stats: the group is empty");
    }
    double sum = 0;
    for (double r : rewards) {
      sum += r;
    }
    double mean = sum / n;
    double ss = 0;
    boolean allEqual = true;
    for (double r : rewards) {
      ss += (r - mean) * (r - mean);
      allEqual &= Double.compare(r, rewards[0]) == 0;
    }
    double std = n == 1 ? 0.0 : Math.sqrt(ss / (sampleStd ? n - 1 : n));
    double[] grpo = new double[n];
    double[] dr = new double[n];
    if (n > 1) {
      for (int i = 0; i < n; i++) {
        dr[i] = allEqual ? 0.0 : rewards[i] - mean;
        grpo[i] = dr[i] / (std + eps);
      }
    }
    return new GroupStats(n, mean, std, allEqual, grpo, dr);
  }
}
