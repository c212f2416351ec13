package io.gristmill.scoring.reward;

import java.util.Map;

/**
 * Evaluates a normalized answer ({@link LatexNormalizer}) as a real number: numbers, {@code + - * /
 * ^}, parentheses and braces, implicit multiplication, {@code \frac}, {@code \sqrt}, {@code
 * \sqrt[n]}, {@code \pi}, and single-letter variables bound by the caller. Anything else (other
 * commands, words of three or more letters, nesting deeper than {@link #MAX_DEPTH}) is {@link
 * Unsupported}. Recursion depth and work are bounded; every token ticks the budget.
 */
final class ExpressionEvaluator {
  static final int MAX_DEPTH = 64;

  /** The text is not an expression this evaluator understands. */
  static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String why) {
      super(why, null, false, false);
    }
  }

  private final String s;
  private final Map<Character, Double> vars;
  private final Budget budget;
  private int pos;
  private int depth;

  private ExpressionEvaluator(String s, Map<Character, Double> vars, Budget budget) {
    this.s = s;
    this.vars = vars;
    this.budget = budget;
  }

  /** The value of {@code text}; variables must all be in {@code vars} (empty for numbers only). */
  static double evaluate(String text, Map<Character, Double> vars, Budget budget) {
    if (text.isEmpty()) {
      throw new Unsupported("empty");
    }
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      boolean letter = Character.isLetter(text.charAt(i)) && (i == 0 || text.charAt(i - 1) != '\\');
      run = letter ? run + 1 : 0;
      if (run >= 3 && !isCommandLetter(text, i)) {
        throw new Unsupported("word");
      }
    }
    ExpressionEvaluator e = new ExpressionEvaluator(text, vars, budget);
    double v = e.expr();
    if (e.pos != text.length()) {
      throw new Unsupported("trailing text at " + e.pos);
    }
    if (!Double.isFinite(v)) {
      throw new Unsupported("not finite");
    }
    return v;
  }

  private static boolean isCommandLetter(String t, int i) {
    int j = i;
    while (j >= 0 && Character.isLetter(t.charAt(j))) {
      j--;
    }
    return j >= 0 && t.charAt(j) == '\\';
  }

  private double expr() {
    enter();
    double v = term();
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == '+') {
        pos++;
        v += term();
      } else if (c == '-') {
        pos++;
        v -= term();
      } else {
        break;
      }
    }
    depth--;
    return v;
  }

  private double term() {
    double v = unary();
    while (pos < s.length()) {
      budget.tick();
      char c = s.charAt(pos);
      if (c == '*') {
        pos++;
        v *= unary();
      } else if (c == '/') {
        pos++;
        v /= unary();
      } else if (startsPrimary(c)) {
        v *= power();
      } else {
        break;
      }
    }
    return v;
  }

  private double unary() {
    enter();
    double v;
    if (peek('-')) {
      pos++;
      v = -unary();
    } else if (peek('+')) {
      pos++;
      v = unary();
    } else {
      v = power();
    }
    depth--;
    return v;
  }

  private double power() {
    double base = primary();
    if (peek('^')) {
      pos++;
      double exp = peek('{') ? group('{', '}') : unaryAtom();
      if (Math.abs(exp) > 1000) {
        throw new Unsupported("exponent too large");
      }
      return Math.pow(base, exp);
    }
    if (peek('%')) {
      pos++;
      return base / 100.0;
    }
    return base;
  }

  /** A signed single atom after '^' without braces: "2^3", "x^-1". */
  private double unaryAtom() {
    if (peek('-')) {
      pos++;
      return -primary();
    }
    return primary();
  }

  private double primary() {
    budget.tick();
    if (pos >= s.length()) {
      throw new Unsupported("unexpected end");
    }
    char c = s.charAt(pos);
    if (Character.isDigit(c) || c == '.') {
      return number();
    }
    if (c == '(') {
      return group('(', ')');
    }
    if (c == '{') {
      return group('{', '}');
    }
    if (c == '\\') {
      return command();
    }
    if (Character.isLetter(c)) {
      Double v = vars.get(c);
      if (v == null) {
        throw new Unsupported("variable " + c);
      }
      pos++;
      return v;
    }
    throw new Unsupported("unexpected '" + c + "'");
  }

  private double number() {
    int start = pos;
    while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
      pos++;
    }
    budget.tick(pos - start);
    if (pos - start > 400) {
      throw new Unsupported("number too long");
    }
    try {
      return Double.parseDouble(s.substring(start, pos));
    } catch (NumberFormatException e) {
      throw new Unsupported("bad number");
    }
  }

  private double group(char open, char close) {
    pos++;
    double v = expr();
    if (!peek(close)) {
      throw new Unsupported("missing " + close);
    }
    pos++;
    return v;
  }

  private double command() {
    int start = ++pos;
    while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
      pos++;
    }
    String name = s.substring(start, pos);
    switch (name) {
      case "frac":
        {
          double num = argument();
          double den = argument();
          return num / den;
        }
      case "sqrt":
        {
          double index = 2;
          if (peek('[')) {
            pos++;
            index = expr();
            if (!peek(']')) {
              throw new Unsupported("missing ]");
            }
            pos++;
          }
          double radicand = argument();
          return Math.pow(radicand, 1.0 / index);
        }
      case "pi":
        return Math.PI;
      default:
        throw new Unsupported("command \\" + name);
    }
  }

  /** A command argument: a braced group or a single digit or letter ("\frac12"). */
  private double argument() {
    if (peek('{')) {
      return group('{', '}');
    }
    if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
      return s.charAt(pos++) - '0';
    }
    return primary();
  }

  private boolean startsPrimary(char c) {
    return Character.isDigit(c) || c == '(' || c == '\\' || c == '{' || Character.isLetter(c);
  }

  private boolean peek(char c) {
    return pos < s.length() && s.charAt(pos) == c;
  }

  private void enter() {
    budget.tick();
    if (++depth > MAX_DEPTH) {
      throw new Unsupported("nesting deeper than " + MAX_DEPTH);
    }
  }
}
