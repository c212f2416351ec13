package io.gristmill.scoring.reward;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Decides whether two final answers are mathematically the same. In order: equal after {@link
 * LatexNormalizer}; a multiple-choice letter ("(C)", "\text{C}"); tuples and intervals (same
 * brackets, element by element) and bare lists (in any order); exact numbers (integers compared
 * exactly, decimals and fractions with {@link BigDecimal} in a bounded {@link MathContext}); simple
 * expressions evaluated numerically within a tolerance; and expressions in up to two single-letter
 * variables, compared at fixed points. "x = 5" matches "5". Callers cap the input size.
 */
public final class MathEquivalence {
  private static final MathContext MC = new MathContext(40);
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,400}");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d{0,400}\\.\\d{1,400}|-?\\d{1,400}");
  private static final Pattern CHOICE = Pattern.compile("\\(?([A-Ea-e])\\)?");
  private static final Pattern ASSIGN = Pattern.compile("^[A-Za-z](_\\{?\\w{1,3}\\}?)?=(?!=)");
  private static final double[][] POINTS = {{0.37, 1.91}, {1.73, -0.59}, {-2.29, 0.83}};

  private final double relTol;

  /**
   * @param relTol relative tolerance for numbers that are not both integers, e.g. 1e-6
   */
  public MathEquivalence(double relTol) {
    this.relTol = relTol;
  }

  /** Whether {@code candidate} and {@code reference} denote the same answer. */
  public boolean equivalent(String candidate, String reference, Budget budget) {
    if (candidate == null || reference == null) {
      return false;
    }
    String a = LatexNormalizer.normalize(candidate, budget);
    String b = LatexNormalizer.normalize(reference, budget);
    return normalizedEqual(a, b, budget, 0);
  }

  private boolean normalizedEqual(String a, String b, Budget budget, int depth) {
    budget.tick();
    if (a.isEmpty() || b.isEmpty()) {
      return false;
    }
    if (a.equals(b)) {
      return true;
    }
    if (depth > 4) {
      return false;
    }
    String ca = choice(a);
    String cb = choice(b);
    if (ca != null && cb != null) {
      return ca.equalsIgnoreCase(cb);
    }
    String ua = stripAssignment(a);
    String ub = stripAssignment(b);
    if (!ua.equals(a) || !ub.equals(b)) {
      return normalizedEqual(ua, ub, budget, depth + 1);
    }
    List<String> pa = TopLevel.split(a, budget);
    List<String> pb = TopLevel.split(b, budget);
    if (pa.size() > 1 || pb.size() > 1) {
      return listsEqual(a, b, pa, pb, budget, depth);
    }
    Boolean exact = exactNumbers(a, b);
    if (exact != null) {
      return exact;
    }
    return numericallyEqual(a, b, budget);
  }

  private boolean listsEqual(
      String a, String b, List<String> pa, List<String> pb, Budget budget, int depth) {
    if (pa.size() != pb.size()) {
      return false;
    }
    char oa = a.charAt(0);
    char ob = b.charAt(0);
    boolean bracketed = TopLevel.isBracket(oa) || TopLevel.isBracket(ob);
    if (bracketed) {
      if (oa != ob || a.charAt(a.length() - 1) != b.charAt(b.length() - 1)) {
        return false;
      }
      for (int i = 0; i < pa.size(); i++) {
        if (!normalizedEqual(pa.get(i), pb.get(i), budget, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    List<String> left = new ArrayList<>(pb);
    outer:
    for (String x : pa) {
      for (int j = 0; j < left.size(); j++) {
        if (normalizedEqual(x, left.get(j), budget, depth + 1)) {
          left.remove(j);
          continue outer;
        }
      }
      return false;
    }
    return true;
  }

  private static String choice(String s) {
    if (s.length() > 3) {
      return null;
    }
    var m = CHOICE.matcher(s);
    return m.matches() ? m.group(1) : null;
  }

  private static String stripAssignment(String s) {
    var m = ASSIGN.matcher(s);
    return m.find() && s.indexOf('=', m.end()) < 0 ? s.substring(m.end()) : s;
  }

  /** Exact comparison when both sides are plain decimals or fractions of them; else null. */
  private static Boolean exactNumbers(String a, String b) {
    if (INTEGER.matcher(a).matches() && INTEGER.matcher(b).matches()) {
      return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
    }
    BigDecimal x = rational(a);
    BigDecimal y = rational(b);
    if (x == null || y == null) {
      return null;
    }
    if (x.compareTo(y) == 0) {
      return true;
    }
    return null;
  }

  /** A decimal, "p/q" or "\frac{p}{q}" as a BigDecimal; null for anything else. */
  static BigDecimal rational(String s) {
    if (s.length() > 900) {
      return null;
    }
    if (DECIMAL.matcher(s).matches()) {
      return new BigDecimal(s);
    }
    boolean negative = s.startsWith("-");
    String t = negative ? s.substring(1) : s;
    String p;
    String q;
    int slash = t.indexOf('/');
    if (slash > 0 && t.indexOf('/', slash + 1) < 0) {
      p = t.substring(0, slash);
      q = t.substring(slash + 1);
    } else if (t.startsWith("\\frac{") && t.endsWith("}")) {
      int mid = t.indexOf("}{");
      if (mid < 0 || t.indexOf("}{", mid + 1) >= 0) {
        return null;
      }
      p = t.substring(6, mid);
      q = t.substring(mid + 2, t.length() - 1);
    } else {
      return null;
    }
    if (!DECIMAL.matcher(p).matches() || !DECIMAL.matcher(q).matches()) {
      return null;
    }
    BigDecimal den = new BigDecimal(q);
    if (den.signum() == 0) {
      return null;
    }
    BigDecimal v = new BigDecimal(p).divide(den, MC);
    return negative ? v.negate() : v;
  }

  private boolean numericallyEqual(String a, String b, Budget budget) {
    TreeSet<Character> va = variables(a);
    TreeSet<Character> vb = variables(b);
    if (!va.equals(vb) || va.size() > 2) {
      return false;
    }
    try {
      if (va.isEmpty()) {
        return close(
            ExpressionEvaluator.evaluate(a, Map.of(), budget),
            ExpressionEvaluator.evaluate(b, Map.of(), budget));
      }
      List<Character> names = new ArrayList<>(va);
      for (double[] point : POINTS) {
        Map<Character, Double> bind =
            names.size() == 1
                ? Map.of(names.get(0), point[0])
                : Map.of(names.get(0), point[0], names.get(1), point[1]);
        if (!close(
            ExpressionEvaluator.evaluate(a, bind, budget),
            ExpressionEvaluator.evaluate(b, bind, budget))) {
          return false;
        }
      }
      return true;
    } catch (ExpressionEvaluator.Unsupported e) {
      return false;
    }
  }

  /** Single letters that are not part of a command name. */
  private static TreeSet<Character> variables(String s) {
    TreeSet<Character> out = new TreeSet<>();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
        while (i < s.length() && Character.isLetter(s.charAt(i))) {
          i++;
        }
        i--;
      } else if (Character.isLetter(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private boolean close(double x, double y) {
    double diff = Math.abs(x - y);
    return diff <= 1e-12 || diff <= relTol * Math.max(Math.abs(x), Math.abs(y));
  }
}
