package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordShinglerTest {
  @Test
  void wordsAreNormalizedAndPunctuationSeparates() {
    assertThat(WordShingler.words("  Hello,\tWORLD!  ﬁne café-au-lait "))
        .containsExactly("hello", "world", "fine", "café", "au", "lait");
  }

  @Test
  void caseSpacingAndPunctuationDoNotChangeShingles() {
    long[] a = WordShingler.shingles("The quick brown fox jumps over the lazy dog", 3, 7).hashes();
    long[] b =
        WordShingler.shingles("the  QUICK brown, fox jumps... over the lazy dog!", 3, 7).hashes();
    assertThat(b).isEqualTo(a);
    assertThat(a).hasSize(7).isSorted();
  }

  @Test
  void repeatedNgramsCountOnceAndSeedMatters() {
    WordShingler.Shingles s = WordShingler.shingles("a b a b a b", 2, 1);
    assertThat(s.words()).isEqualTo(6);
    assertThat(s.hashes()).hasSize(2);
    assertThat(WordShingler.shingles("a b a b a b", 2, 2).hashes()).isNotEqualTo(s.hashes());
  }

  @Test
  void shortTextGivesOneShingleAndEmptyGivesNone() {
    assertThat(WordShingler.shingles("who are you", 5, 1).hashes()).hasSize(1);
    assertThat(WordShingler.shingles("who are you", 5, 1).hashes())
        .isNotEqualTo(WordShingler.shingles("who are they", 5, 1).hashes());
    assertThat(WordShingler.shingles(" ... ", 5, 1).hashes()).isEmpty();
    assertThat(WordShingler.shingles(" ... ", 5, 1).words()).isZero();
  }

  @Test
  void asciiFastPathSplitsLikeTheFullNormalizer() {
    for (String t :
        List.of(
            "Hello, WORLD!\tfoo_bar  x1y2 \u0000 z",
            "  ...leading and trailing...  ",
            "MiXeD CaSe 123abc ABC123",
            "tabs\tand\nnewlines\r\nand  spaces",
            "")) {
      assertThat(WordShingler.asciiWords(t)).isEqualTo(WordShingler.normalizedWords(t));
      for (int n : new int[] {1, 3, 5}) {
        WordShingler.Shingles fast = WordShingler.asciiShingles(t, n, 9);
        WordShingler.Shingles ref = WordShingler.shingles(WordShingler.normalizedWords(t), n, 9);
        assertThat(fast.words()).isEqualTo(ref.words());
        assertThat(fast.hashes()).isEqualTo(ref.hashes());
      }
    }
    assertThat(WordShingler.words("Caf\u00e9 OK")).containsExactly("café", "ok");
  }

  @Test
  void skippingTheWhitespaceStepGivesTheWordsOfTheFullNormalizer() {
    for (String t :
        List.of(
            "Stra\u00dfe\u00a0\u00a0\uFB01ne \u2003 Caf\u00e9\u200Bx\uFEFFy",
            "\u3000\u5168\u89d2\uff21\uff22\uff23\u2028 \u00bd done ",
            "tabs\tand\u2009thin\u202fnarrow spaces")) {
      List<String> viaNormalize = new java.util.ArrayList<>();
      for (String w :
          io.gristmill.core.text.TextNormalizer.normalize(t).split("[^\\p{L}\\p{Nd}]+")) {
        if (!w.isEmpty()) {
          viaNormalize.add(w);
        }
      }
      assertThat(WordShingler.normalizedWords(t)).isEqualTo(viaNormalize);
    }
  }
}
