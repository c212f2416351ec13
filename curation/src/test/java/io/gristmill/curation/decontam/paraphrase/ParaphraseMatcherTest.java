package io.gristmill.curation.decontam.paraphrase;

import static io.gristmill.curation.decontam.paraphrase.ParaphraseFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParaphraseMatcherTest {
  private static ParaphraseMatcher matcher;
  private static ParaphraseIndex index;

  @BeforeAll
  static void build() {
    ParaphraseConfig cfg = CONFIG;
    index = ParaphraseIndex.build(ParaphraseFixtures.items(), cfg);
    matcher = new ParaphraseMatcher(index, cfg);
  }

  private static List<String> ids(String text) {
    return matcher.match(text).stream().map(m -> m.benchmark() + ":" + m.item()).toList();
  }

  @Test
  void retrievalFindsTheItemInsideALongerTurn() {
    var c =
        index.candidates(
            Profile.of("Hi! Could you help with my homework? " + MATH_ITEM + " Thanks!"), 3, 0.5);
    assertThat(c).isNotEmpty();
    assertThat(c.get(0).entry().item.item()).isEqualTo("m1");
    assertThat(c.get(0).score()).isEqualTo(1.0);
    assertThat(index.candidates(Profile.of("What is the capital of France?"), 3, 0.3)).isEmpty();
  }

  @Test
  void mathRephrasingMatchesWithNumbersAndQuestion() {
    var m = matcher.match(MATH_REPHRASED);
    assertThat(m).extracting(ParaphraseMatch::item).containsExactly("m1");
    assertThat(m.get(0).signals()).contains("terms", "numbers", "asked");
  }

  @Test
  void mathWithOtherNumbersOrAnotherQuestionIsNotAMatch() {
    assertThat(ids(MATH_OTHER_NUMBERS)).doesNotContain("gsm:m1");
    assertThat(ids(MATH_OTHER_QUESTION)).doesNotContain("gsm:m1");
  }

  @Test
  void codeRephrasingMatchesOnSignatureAndBehaviourWords() {
    var m = matcher.match(CODE_REPHRASED);
    assertThat(m).extracting(ParaphraseMatch::item).contains("c1");
    assertThat(m.get(0).signals()).contains("signature", "types", "returns");
  }

  @Test
  void codeWithAnotherArgumentStructureIsNotAMatch() {
    assertThat(ids(CODE_OTHER_SIGNATURE)).doesNotContain("he:c1");
  }

  @Test
  void choiceMatchesQuestionAndOptionsInAnyOrder() {
    var m = matcher.match(CHOICE_REORDERED);
    assertThat(m).extracting(ParaphraseMatch::item).containsExactly("q1");
    assertThat(m.get(0).signals()).contains("question", "options");
  }

  @Test
  void choiceWithAnotherQuestionOnTheSameTopicIsNotAMatch() {
    assertThat(ids(CHOICE_OTHER_QUESTION)).doesNotContain("mc:q1");
  }

  @Test
  void freeTextRephrasingMatchesAndAnUnrelatedTextDoesNot() {
    assertThat(ids(TEXT_REPHRASED)).containsExactly("tx:t1");
    assertThat(ids("Write a short poem about bicycles and rivers in the spring.")).isEmpty();
  }

  @Test
  void aFillerItemWithOtherNumbersIsNotMatched() {
    assertThat(
            ids(
                "A harbor has 30 workers who each handle 9 tasks a day. How many tasks are handled"
                    + " in a week at the harbor?"))
        .isEmpty();
    assertThat(
            ids(
                "At the harbor there are seventeen workers, and each of them handles 10 tasks per"
                    + " day. In a week, how many tasks are handled at the harbor?"))
        .containsExactly("gsm:f7");
  }

  /** Sentences with no number and no benchmark term, about {@code chars} characters. */
  private static String filler(int chars) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; b.length() < chars; i++) {
      // Every sentence differs (a letter code), so a window's position in the text is unique.
      String code = "" + (char) ('q' + i / 26 % 8) + (char) ('a' + i % 26) + "z";
      b.append("Our neighbour told us a long story about her travels, ").append(code).append(". ");
    }
    return b.toString();
  }

  @Test
  void windowsCoverTheTextAtSentenceBoundariesAndOverlap() {
    String text = filler(2000);
    List<String> ws = ParaphraseMatcher.windows(text, 600);
    assertThat(ws).hasSizeGreaterThan(3);
    assertThat(ws).allSatisfy(w -> assertThat(w.length()).isLessThanOrEqualTo(600));
    assertThat(text).startsWith(ws.get(0)).endsWith(ws.get(ws.size() - 1));
    int prevStart = -1;
    int prevEnd = 0;
    for (String w : ws) {
      int found = text.indexOf(w);
      assertThat(found).isGreaterThan(prevStart);
      // Windows overlap (each starts before the previous one ended), at a sentence start.
      if (prevStart >= 0) {
        assertThat(found).isLessThan(prevEnd);
      }
      assertThat(w).startsWith("Our neighbour");
      prevStart = found;
      prevEnd = found + w.length();
    }
    assertThat(ParaphraseMatcher.windows("short", 600)).containsExactly("short");
  }

  @Test
  void anItemInsideALongTurnIsFoundInAWindow() {
    var m = matcher.match(filler(900) + MATH_REPHRASED + " " + filler(900));
    assertThat(m).extracting(ParaphraseMatch::item).containsExactly("m1");
    assertThat(m.get(0).signals()).contains("numbers", "asked", "window");
  }

  @Test
  void itemSentencesScatteredOverALongTurnAreNotAMatch() {
    String scattered =
        "A baker makes 48 rolls each morning. "
            + filler(800)
            + "She sells three quarters of them before noon and gives 5 to a shelter. "
            + filler(800)
            + "How many rolls are left at the end of the day?";
    assertThat(ids(scattered)).doesNotContain("gsm:m1");
    // The whole turn alone would match: windows off.
    ParaphraseConfig off =
        new ParaphraseConfig(
            null, null, null, 0.2, 3.0, null, null, null, null, null, null, null, null, null, null,
            null, 0.0, null, null, null);
    assertThat(new ParaphraseMatcher(index, off).match(scattered))
        .extracting(ParaphraseMatch::item)
        .contains("m1");
  }

  private static int entryOf(String item) {
    for (int i = 0; i < index.entries.length; i++) {
      if (index.entries[i].item.item().equals(item)) {
        return i;
      }
    }
    throw new AssertionError(item);
  }

  @Test
  void anEmbeddingHitBelowTheFloorIsVerifiedByItsKindAndMarked() {
    int m1 = entryOf("m1");
    ParaphraseIndex.Query q = index.query(Profile.of(MATH_REWORDED_BELOW_FLOOR));
    assertThat(index.score(index.entries[m1], q).score()).isLessThan(0.35);
    assertThat(ids(MATH_REWORDED_BELOW_FLOOR)).doesNotContain("gsm:m1");
    var hit = List.of(new EmbeddingIndex.Hit(m1, 0.93));
    var m = matcher.match(MATH_REWORDED_BELOW_FLOOR, hit);
    assertThat(m).extracting(ParaphraseMatch::item).containsExactly("m1");
    assertThat(m.get(0).signals()).contains("numbers", "asked", "embedding");
    // the verifier still decides: other numbers or another question are not a match
    assertThat(matcher.match(MATH_OTHER_NUMBERS, hit))
        .extracting(ParaphraseMatch::item)
        .doesNotContain("m1");
    assertThat(matcher.match(MATH_OTHER_QUESTION, hit))
        .extracting(ParaphraseMatch::item)
        .doesNotContain("m1");
    // a same-topic question below the floor is not accepted as a question-only choice match
    var q1 = List.of(new EmbeddingIndex.Hit(entryOf("q1"), 0.95));
    assertThat(
            index
                .score(index.entries[entryOf("q1")], index.query(Profile.of(CHOICE_OTHER_QUESTION)))
                .score())
        .isLessThan(0.35);
    assertThat(matcher.match(CHOICE_OTHER_QUESTION, q1)).isEmpty();
    assertThat(matcher.match(CHOICE_REORDERED, q1))
        .singleElement()
        .satisfies(x -> assertThat(x.signals()).contains("options", "embedding"));
    // an item the terms retrieve as well is matched once, with the embedding signal
    var both = matcher.match(MATH_REPHRASED, hit);
    assertThat(both).extracting(ParaphraseMatch::item).containsExactly("m1");
    assertThat(both.get(0).signals()).contains("terms", "numbers", "embedding");
    assertThat(matcher.match(MATH_REPHRASED).get(0).signals()).doesNotContain("embedding");
  }

  @Test
  void aChoiceQuestionRephrasedWithoutItsOptionsIsAcceptedOnAHighCosineWithTermEvidence() {
    ParaphraseMatcher withAccept =
        new ParaphraseMatcher(
            index, CONFIG.withEmbedding(EmbeddingConfig.of("unused").withAccept(0.85, 1.0)));
    String rephrased = "Mostly, what gas is Venus's atmosphere composed of?";
    int q1 = entryOf("q1");
    // the terms alone refuse it: the question without its options, too few of its words
    assertThat(withAccept.match(rephrased)).isEmpty();
    assertThat(withAccept.match(rephrased, List.of(new EmbeddingIndex.Hit(q1, 0.80)))).isEmpty();
    assertThat(withAccept.match(rephrased, List.of(new EmbeddingIndex.Hit(q1, 0.91))))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.item()).isEqualTo("q1");
              assertThat(x.signals()).containsExactly("embedding", "accept_cosine");
            });
    // a near vector without the question's terms is not enough
    assertThat(
            withAccept.match(
                "Tell me something about the clouds of other worlds.",
                List.of(new EmbeddingIndex.Hit(q1, 0.99))))
        .isEmpty();
    // only multiple-choice items are decided by the cosine: math still needs its numbers
    assertThat(
            withAccept.match(
                MATH_OTHER_NUMBERS, List.of(new EmbeddingIndex.Hit(entryOf("m1"), 0.99))))
        .extracting(ParaphraseMatch::item)
        .doesNotContain("m1");
    // without an embedding config (or with accept_cosine above 1) the path is off
    assertThat(matcher.match(rephrased, List.of(new EmbeddingIndex.Hit(q1, 0.99)))).isEmpty();
    ParaphraseMatcher off =
        new ParaphraseMatcher(
            index, CONFIG.withEmbedding(EmbeddingConfig.of("unused").withAccept(2.0, 1.0)));
    assertThat(off.match(rephrased, List.of(new EmbeddingIndex.Hit(q1, 0.99)))).isEmpty();
  }
}
