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
  }

  @Test
  void termSetCarriesNormalizedNumbers() {
    assertThat(Terms.termSet("twelve eggs cost $3.50")).contains("egg", "cost", "#12", "#3.500");
    assertThat(Terms.termSet("12 eggs")).contains("#12");
  }

  @Test
  void trigramsOfContentWords() {
    assertThat(Terms.trigrams(List.of("egg"))).containsExactlyInAnyOrder(" eg", "egg", "gg ");
  }
}
