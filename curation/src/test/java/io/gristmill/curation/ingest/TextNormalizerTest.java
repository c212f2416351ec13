package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.text.TextNormalizer;
import org.junit.jupiter.api.Test;

/** Pins the normalization that ids and exact-dedup keys are computed on. */
class TextNormalizerTest {
  @Test
  void appliesNfkcCaseFoldingAndWhitespaceCollapse() {
    assertThat(TextNormalizer.normalize("  Hello\t\n  WORLD  ")).isEqualTo("hello world");
    assertThat(TextNormalizer.normalize("ﬁne Straße")).isEqualTo("fine strasse");
    assertThat(TextNormalizer.normalize("ＡＢＣ１２３")).isEqualTo("abc123");
    assertThat(TextNormalizer.normalize("a\u00A0b\u2003c\u200Bd")).isEqualTo("a b c d");
  }

  @Test
  void emptyAndNullBecomeEmpty() {
    assertThat(TextNormalizer.normalize(null)).isEmpty();
    assertThat(TextNormalizer.normalize(" \n ")).isEmpty();
  }
}
