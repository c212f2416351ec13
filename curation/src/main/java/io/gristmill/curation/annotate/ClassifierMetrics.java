package io.gristmill.curation.annotate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Accuracy, macro-F1 and the confusion matrix of (true, predicted) label pairs, beside a
 * majority-class baseline (always predicting the most frequent training label).
 *
 * @param labels the labels of the matrix (true labels present in the test set, then any other
 *     predicted label), sorted
 * @param confusion {@code confusion[i][j]}: rows of true label i predicted as label j
 */
public record ClassifierMetrics(
    long n,
    double accuracy,
    double macroF1,
    String majorityLabel,
    double majorityAccuracy,
    double majorityMacroF1,
    List<String> labels,
    long[][] confusion) {

  /** Metrics of {@code pairs} ({@code [true, predicted]}) with the baseline {@code majority}. */
  public static ClassifierMetrics of(List<String[]> pairs, String majority) {
    TreeSet<String> present = new TreeSet<>();
    for (String[] p : pairs) {
      present.add(p[0]);
    }
    TreeSet<String> all = new TreeSet<>(present);
    for (String[] p : pairs) {
      all.add(p[1]);
    }
    List<String> labels = new ArrayList<>(all);
    Map<String, Integer> at = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      at.put(labels.get(i), i);
    }
    long[][] m = new long[labels.size()][labels.size()];
    long correct = 0;
    long majorityCorrect = 0;
    for (String[] p : pairs) {
      m[at.get(p[0])][at.get(p[1])]++;
      correct += p[0].equals(p[1]) ? 1 : 0;
      majorityCorrect += p[0].equals(majority) ? 1 : 0;
    }
    long n = pairs.size();
    List<String[]> base = new ArrayList<>();
    for (String[] p : pairs) {
      base.add(new String[] {p[0], majority});
    }
    return new ClassifierMetrics(
        n,
        n == 0 ? 0 : (double) correct / n,
        macroF1(pairs, present),
        majority,
        n == 0 ? 0 : (double) majorityCorrect / n,
        macroF1(base, present),
        labels,
        m);
  }

  /** Mean F1 over the true labels present (a label never predicted has F1 0). */
  static double macroF1(List<String[]> pairs, TreeSet<String> present) {
    if (present.isEmpty()) {
      return 0;
    }
    double sum = 0;
    for (String l : present) {
      long tp = 0;
      long fp = 0;
      long fn = 0;
      for (String[] p : pairs) {
        boolean t = p[0].equals(l);
        boolean pr = p[1].equals(l);
        tp += t && pr ? 1 : 0;
        fp += !t && pr ? 1 : 0;
        fn += t && !pr ? 1 : 0;
      }
      double prec = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
      double rec = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
      sum += prec + rec == 0 ? 0 : 2 * prec * rec / (prec + rec);
    }
    return sum / present.size();
  }

  /** A plain-text table: the two summary lines, then the confusion matrix (rows = true label). */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "held-out rows %d%nclassifier: accuracy %.3f, macro-F1 %.3f%n"
                + "majority baseline (always '%s'): accuracy %.3f, macro-F1 %.3f%n",
            n,
            accuracy,
            macroF1,
            majorityLabel,
            majorityAccuracy,
            majorityMacroF1));
    sb.append("confusion matrix (rows: true label, columns: predicted, in this order):\n");
    for (int j = 0; j < labels.size(); j++) {
      sb.append(String.format(Locale.ROOT, "  c%-2d = %s%n", j, labels.get(j)));
    }
    sb.append(String.format(Locale.ROOT, "%-20s", ""));
    for (int j = 0; j < labels.size(); j++) {
      sb.append(String.format(Locale.ROOT, "%6s", "c" + j));
    }
    sb.append('\n');
    for (int i = 0; i < labels.size(); i++) {
      String l = labels.get(i);
      sb.append(String.format(Locale.ROOT, "%-20s", l.length() > 19 ? l.substring(0, 19) : l));
      for (int j = 0; j < labels.size(); j++) {
        sb.append(String.format(Locale.ROOT, "%6d", confusion[i][j]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
