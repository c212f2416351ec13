package io.gristmill.curation.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumberNormalizerTest {
  @Test
  void numberWordsAreValues() {
    assertThat(NumberNormalizer.numbers("She eats twelve eggs and three muffins"))
        .containsExactly(12.0, 3.0);
    assertThat(NumberNormalizer.numbers("two hundred fifty-six people and forty two cats"))
        .containsExactly(256.0, 42.0);
    assertThat(NumberNormalizer.numbers("one thousand two hundred")).containsExactly(1200.0);
    assertThat(NumberNormalizer.numbers("He runs twice a week, thrice on holidays"))
        .containsExactly(2.0, 3.0);
  }

  @Test
  void currencyThousandsAndScaleWords() {
    assertThat(NumberNormalizer.numbers("It costs $3.50, not $80,000"))
        .containsExactly(3.5, 80000.0);
    assertThat(NumberNormalizer.numbers("a $1.2 million house and a $5k car"))
        .containsExactly(1_200_000.0, 5000.0);
    assertThat(NumberNormalizer.numbers("$2m budget")).containsExactly(2_000_000.0);
  }

  @Test
  void dozensFractionsAndPercentages() {
    assertThat(NumberNormalizer.numbers("half a dozen eggs")).containsExactly(6.0);
    assertThat(NumberNormalizer.numbers("a dozen roses and 3 dozen donuts"))
        .containsExactly(12.0, 36.0);
    assertThat(NumberNormalizer.numbers("3/4 of the cake, three quarters of the pie"))
        .containsExactly(0.75, 0.75);
    assertThat(NumberNormalizer.numbers("a third of them, two-thirds water, half the fiber"))
        .containsExactly(1.0 / 3, 2.0 / 3, 0.5);
    assertThat(NumberNormalizer.numbers("up 150% or 150 percent or twenty percent"))
        .containsExactly(150.0, 150.0, 20.0);
  }

  @Test
  void unitsAreDroppedAndSignsKept() {
    assertThat(NumberNormalizer.numbers("a 60-mile trip, 5km run, 3 kg, at 10am"))
        .containsExactly(60.0, 5.0, 3.0, 10.0);
    assertThat(NumberNormalizer.numbers("below_zero([1, -4, 5])")).containsExactly(1.0, -4.0, 5.0);
    assertThat(NumberNormalizer.numbers("x2 and v1.2.3 are not numbers")).isEmpty();
  }

  @Test
  void plainWordsAreNotNumbers() {
    assertThat(NumberNormalizer.numbers("Someone said a long thing; nothing here counts"))
        .isEmpty();
  }

  @Test
  void numeralEdgesAsTheTokenRulesRead() {
    // Signs and bare decimals; thousands groups need three digits, else the parts are two numbers.
    assertThat(NumberNormalizer.numbers("-.5 and .25")).containsExactly(-0.5, 0.25);
    assertThat(NumberNormalizer.numbers("1,234,567 and 1,23"))
        .containsExactly(1234567.0, 1.0, 23.0);
    // A fraction with an attached unit, suffixes in either case.
    assertThat(NumberNormalizer.numbers("7/2cups, 4bn, 10K")).containsExactly(3.5, 4e9, 10000.0);
    // Hyphenated words: number parts are read, words glued to digits are not words.
    assertThat(NumberNormalizer.numbers("twenty-one well-known x-ray5 abc7")).containsExactly(21.0);
  }
}
