package io.gristmill.curation.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TermsTest {
  @Test
  void contentWordsAreStemmedAndStopWordsDropped() {
    assertThat(Terms.words("The ducks are laying eggs")).containsExactly("duck", "lay", "egg");
    assertThat(Terms.words("consumes consumption")).containsExactly("consum", "consum");
  }

  @Test
  void identifiersAreSplit() {
    assertThat(Terms.words("has_close_elements hasCloseElements HTTPServer"))
        .containsExactly("clos", "elemen", "clos", "elemen", "http", "server");
    // A capital run followed by a lower-case letter gives its last capital to the next word;
    // two capitals before a lower-case letter are a one-letter word (dropped) and a word.
    assertThat(Terms.words("HTMLParser ABcd")).containsExactly("html", "parser", "bcd");
  }

  @Test
  void termSetCarriesNormalizedNumbers() {
    assertThat(Terms.termSet("twelve eggs cost $3.50")).contains("egg", "cost", "#12", "#3.500");
    assertThat(Terms.termSet("12 eggs")).contains("#12");
  }

  @Test
  void subscriptedSymbolsAreTerms() {
    assertThat(Terms.termSet("the factor group (Z_11 x Z_15) and S_n"))
        .contains("$Z_11", "$Z_15", "$S_n");
    // Not inside identifiers or longer subscripts.
    assertThat(Terms.termSet("has_close_elements ab_1 x_12a y__2"))
        .noneMatch(t -> t.startsWith("$"));
  }

  @Test
  void trigramsOfContentWords() {
    assertThat(Terms.trigrams(List.of("egg"))).containsExactlyInAnyOrder(" eg", "egg", "gg ");
  }
}
