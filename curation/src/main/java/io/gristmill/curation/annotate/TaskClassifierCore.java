package io.gristmill.curation.annotate;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

/**
 * Inference of a trained task classifier without Spark ML's pipeline: the same steps as the saved
 * {@link org.apache.spark.ml.PipelineModel} (head of the text by code points, regex tokenizer,
 * murmur3 hashing into term frequencies, IDF weights, multinomial logistic regression, softmax)
 * computed per text in plain Java. {@link TaskClassifier#core} extracts one from a saved model and
 * {@code TaskClassifierCoreTest} checks it against MLlib's own transform. Running the five ML
 * stages row by row through Spark costs about 140 µs per row (vector objects, four UDF hops); this
 * reads the same coefficients at a few µs.
 */
public final class TaskClassifierCore implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Seed of Spark ML's {@code HashingTF} murmur3 hash (Spark 3.0 and later). */
  static final int HASH_SEED = 42;

  private final int maxCodePoints;
  private final String pattern;
  private final boolean lowercase;
  private final int minTokenLength;
  private final int numFeatures;
  private final boolean binary;
  private final double[] idf;
  // Feature-major: the k class weights of feature f are at [f * k, f * k + k).
  private final double[] weights;
  private final double[] intercepts;
  private final String[] labels;
  private transient Pattern compiled;

  /** One prediction: the label, its probability, and every class's probability. */
  public record Prediction(String label, double confidence, double[] probabilities) {}

  /**
   * @param maxCodePoints code points of the text read (Spark's {@code substring(t, 1, n)}), or
   *     {@link Integer#MAX_VALUE} for all
   * @param pattern the tokenizer's gap pattern (tokens are what lies between its matches)
   * @param coefficients class-major, {@code [class][feature]}
   * @param labels the label of each class index
   */
  public TaskClassifierCore(
      int maxCodePoints,
      String pattern,
      boolean lowercase,
      int minTokenLength,
      int numFeatures,
      boolean binary,
      double[] idf,
      double[][] coefficients,
      double[] intercepts,
      String[] labels) {
    int k = intercepts.length;
    if (coefficients.length != k || labels.length < k || idf.length != numFeatures) {
      throw io.gristmill.core.Errors.invalidValue(
          "annotate.classifier",
          k + " classes, " + labels.length + " labels, " + idf.length + " idf weights",
          "one coefficient row and label per class and one idf weight per feature");
    }
    this.maxCodePoints = maxCodePoints;
    this.pattern = pattern;
    this.lowercase = lowercase;
    this.minTokenLength = minTokenLength;
    this.numFeatures = numFeatures;
    this.binary = binary;
    this.idf = idf.clone();
    this.weights = new double[numFeatures * k];
    for (int c = 0; c < k; c++) {
      for (int f = 0; f < numFeatures; f++) {
        weights[f * k + c] = coefficients[c][f];
      }
    }
    this.intercepts = intercepts.clone();
    this.labels = Arrays.copyOf(labels, k);
  }

  public int numClasses() {
    return intercepts.length;
  }

  /** The tokens MLlib's {@code RegexTokenizer} gives for {@code text}'s head. */
  String[] tokens(String text) {
    String t = head(text == null ? "" : text);
    // RegexTokenizer lowercases with the JVM's default locale; the same call keeps the terms equal.
    String s = lowercase ? t.toLowerCase() : t;
    if (compiled == null) {
      compiled = Pattern.compile(pattern);
    }
    String[] parts = compiled.split(s);
    int n = 0;
    for (String p : parts) {
      if (p.length() >= minTokenLength) {
        parts[n++] = p;
      }
    }
    return Arrays.copyOf(parts, n);
  }

  private String head(String t) {
    if (t.length() <= maxCodePoints) {
      return t;
    }
    return t.substring(
        0, t.offsetByCodePoints(0, Math.min(maxCodePoints, t.codePointCount(0, t.length()))));
  }

  /** The hashed feature index of a term, as {@code HashingTF.indexOf}. */
  int indexOf(String term) {
    byte[] b = term.getBytes(StandardCharsets.UTF_8);
    int h = Murmur3_x86_32.hashUnsafeBytes2(b, Platform.BYTE_ARRAY_OFFSET, b.length, HASH_SEED);
    int m = h % numFeatures;
    return m < 0 ? m + numFeatures : m;
  }

  /** The class probabilities and the most probable label for {@code text}. */
  public Prediction predict(String text) {
    String[] toks = tokens(text);
    int[] idx = new int[toks.length];
    for (int i = 0; i < toks.length; i++) {
      idx[i] = indexOf(toks[i]);
    }
    Arrays.sort(idx);
    int k = intercepts.length;
    double[] margin = new double[k];
    // Term frequencies in index order (as MLlib's sparse vector holds them), times idf, times the
    // coefficients; the intercept is added after the sum, as BLAS.gemv does with beta = 1.
    int i = 0;
    while (i < idx.length) {
      int f = idx[i];
      int j = i;
      while (j < idx.length && idx[j] == f) {
        j++;
      }
      double x = (binary ? 1.0 : (double) (j - i)) * idf[f];
      int base = f * k;
      for (int c = 0; c < k; c++) {
        margin[c] += x * weights[base + c];
      }
      i = j;
    }
    for (int c = 0; c < k; c++) {
      margin[c] += intercepts[c];
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double m : margin) {
      max = Math.max(max, m);
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      margin[c] = Math.exp(margin[c] - max);
      sum += margin[c];
    }
    int best = 0;
    for (int c = 0; c < k; c++) {
      margin[c] /= sum;
      if (margin[c] > margin[best]) {
        best = c;
      }
    }
    return new Prediction(labels[best], margin[best], margin);
  }
}
