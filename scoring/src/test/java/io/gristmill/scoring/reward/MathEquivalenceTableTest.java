package io.gristmill.scoring.reward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven equivalence cases: pairs that must match and pairs that must not. */
class MathEquivalenceTableTest {
  private final MathEquivalence eq = new MathEquivalence(1e-6);

  static Stream<Arguments> equal() {
    return Stream.of(
        Arguments.of("42", "42"),
        Arguments.of("1,234", "1234"),
        Arguments.of("1,234,567", "1234567"),
        Arguments.of("-7", "-7"),
        Arguments.of("+7", "7"),
        Arguments.of("−3", "-3"),
        Arguments.of("3.0", "3"),
        Arguments.of("3.50", "3.5"),
        Arguments.of("0.5", ".5"),
        Arguments.of("3/4", "0.75"),
        Arguments.of("\\frac{3}{4}", "3/4"),
        Arguments.of("\\dfrac{3}{4}", "\\frac34"),
        Arguments.of("\\tfrac{1}{2}", "0.5"),
        Arguments.of("-\\frac{1}{3}", "\\frac{-1}{3}"),
        Arguments.of("\\frac{\\sqrt{3}}{2}", "\\frac{1}{2}\\sqrt{3}"),
        Arguments.of("50\\%", "50"),
        Arguments.of("50%", "50"),
        Arguments.of("$18", "18"),
        Arguments.of("\\$18.00", "18"),
        Arguments.of("18 dollars", "18"),
        Arguments.of("5\\text{ cm}", "5"),
        Arguments.of("\\text{Devon}", "Devon"),
        Arguments.of("90^\\circ", "90"),
        Arguments.of("90^{\\circ}", "90"),
        Arguments.of("\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\frac{\\pi}{2})"),
        Arguments.of("(1, 2)", "(1,2)"),
        Arguments.of("[0, 1)", "[0,1)"),
        Arguments.of("(-\\infty, 3]", "(-\\infty,3]"),
        Arguments.of("2, 3", "3, 2"),
        Arguments.of("\\{1,2\\}", "1,2"),
        Arguments.of("x = 5", "5"),
        Arguments.of("x=\\frac{1}{2}", "0.5"),
        Arguments.of("2\\sqrt{2}", "\\sqrt{8}"),
        Arguments.of("\\sqrt2", "\\sqrt{2}"),
        Arguments.of("\\sqrt[3]{8}", "2"),
        Arguments.of("2^{10}", "1024"),
        Arguments.of("2^3", "8"),
        Arguments.of("\\pi", "3.14159265358979"),
        Arguments.of("2\\pi", "\\pi\\cdot 2"),
        Arguments.of("3 \\times 4", "12"),
        Arguments.of("10 \\div 4", "2.5"),
        Arguments.of("(2+3)*4", "20"),
        Arguments.of("x^2+7x+10", "(x+2)(x+5)"),
        Arguments.of("2x+3y", "3y+2x"),
        Arguments.of("\\frac{x}{2}", "0.5x"),
        Arguments.of("\\text{(C)}", "C"),
        Arguments.of("(B)", "B"),
        Arguments.of("\\boxed{}", "\\boxed{}"),
        Arguments.of("0.333333333", "1/3"),
        Arguments.of("123456789012345678901234567890", "123456789012345678901234567890"),
        Arguments.of("1.", "1"),
        Arguments.of("{5}", "5"),
        Arguments.of("\\!\\!5", "5"),
        Arguments.of("\\mbox{yes}", "yes"));
  }

  static Stream<Arguments> notEqual() {
    return Stream.of(
        Arguments.of("42", "43"),
        Arguments.of("1,234", "1.234"),
        Arguments.of("-7", "7"),
        Arguments.of("3/4", "4/3"),
        Arguments.of("\\frac{3}{4}", "0.7"),
        Arguments.of("0.5", "5"),
        Arguments.of("(1,2)", "(2,1)"),
        Arguments.of("[0,1)", "[0,1]"),
        Arguments.of("(0,1)", "[0,1]"),
        Arguments.of("1,2", "1,2,3"),
        Arguments.of("2\\sqrt{2}", "\\sqrt{2}"),
        Arguments.of("x^2+1", "x^2-1"),
        Arguments.of("2x", "2y"),
        Arguments.of("\\text{(C)}", "D"),
        Arguments.of("Devon", "Devin"),
        Arguments.of("123456789012345678901234567890", "123456789012345678901234567891"),
        Arguments.of("\\pi", "3.14"),
        Arguments.of("", "0"),
        Arguments.of("0", ""),
        Arguments.of("\\infty", "-\\infty"),
        Arguments.of("\\frac{1}{0}", "1"),
        Arguments.of("abc", "cab"),
        Arguments.of("2^{10}", "1000"),
        Arguments.of("\\sqrt{3}", "1.7"),
        Arguments.of("x = 5", "y = 6"),
        Arguments.of("10", "10.5"),
        Arguments.of("1e3", "1001"),
        Arguments.of("yes", "no"));
  }

  @ParameterizedTest(name = "[{0}] == [{1}]")
  @MethodSource("equal")
  void equalAnswersMatchBothWays(String a, String b) {
    assertThat(eq.equivalent(a, b, Budget.of(1_000_000, 1000))).isTrue();
    assertThat(eq.equivalent(b, a, Budget.of(1_000_000, 1000))).isTrue();
  }

  @ParameterizedTest(name = "[{0}] != [{1}]")
  @MethodSource("notEqual")
  void differentAnswersDoNotMatch(String a, String b) {
    assertThat(eq.equivalent(a, b, Budget.of(1_000_000, 1000))).isFalse();
    assertThat(eq.equivalent(b, a, Budget.of(1_000_000, 1000))).isFalse();
  }

  @ParameterizedTest(name = "extract [{0}]")
  @MethodSource("extractions")
  void extractsFinalAnswers(String text, String expected, String method) {
    AnswerExtractor.Extraction e = AnswerExtractor.extract(text, true, Budget.of(1_000_000, 1000));
    assertThat(e).isNotNull();
    assertThat(e.answer()).isEqualTo(expected);
    assertThat(e.method().name()).isEqualTo(method);
  }

  static Stream<Arguments> extractions() {
    return Stream.of(
        Arguments.of("so \\boxed{\\frac{1}{2}} and then \\boxed{3}.", "3", "BOXED"),
        Arguments.of(
            "\\boxed{\\left\\{1,\\{2\\}\\right\\}}", "\\left\\{1,\\{2\\}\\right\\}", "BOXED"),
        Arguments.of("It is \\boxed 7 yes", "7", "BOXED"),
        Arguments.of("\\fbox{12}", "12", "BOXED"),
        Arguments.of("a\nb\n#### 1,000", "1,000", "HASHES"),
        Arguments.of("work\nAnswer: $42$.", "42", "ANSWER_LINE"),
        Arguments.of("work\nA: 18", "18", "ANSWER_LINE"),
        Arguments.of("So the answer is **17**.", "17", "ANSWER_LINE"),
        Arguments.of("Final Answer: x = 3", "x = 3", "ANSWER_LINE"),
        Arguments.of("we get 3 then 4,500 apples", "4,500", "LAST_NUMBER"),
        Arguments.of("value -12.5 here", "-12.5", "LAST_NUMBER"),
        Arguments.of("unbalanced \\boxed{3 then 3/4", "3/4", "LAST_NUMBER"));
  }
}
