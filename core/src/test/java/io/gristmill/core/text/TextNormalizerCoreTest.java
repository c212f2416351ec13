package io.gristmill.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerCoreTest {
  @Test
  void foldsCaseWidthAndWhitespace() {
    assertThat(TextNormalizer.normalize("  Hello,\t\u00A0WORLD\n\n ")).isEqualTo("hello, world");
    assertThat(TextNormalizer.normalize("Ｆｕｌｌ　ｗｉｄｔｈ")).isEqualTo("full width");
    assertThat(TextNormalizer.normalize("Straße ﬁne")).isEqualTo("strasse fine");
    assertThat(TextNormalizer.normalize(null)).isEmpty();
  }

  @Test
  void idsAreStableAndSourceScoped() {
    assertThat(StableIds.recordId("a", "x")).hasSize(32).isEqualTo(StableIds.recordId("a", "x"));
    assertThat(StableIds.recordId("a", "x")).isNotEqualTo(StableIds.recordId("b", "x"));
    assertThat(StableIds.contentHash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223");
  }
}
