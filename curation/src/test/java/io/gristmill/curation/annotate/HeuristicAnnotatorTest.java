package io.gristmill.curation.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gristmill.core.record.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeuristicAnnotatorTest {
  private static final AnnotateConfig CFG =
      new AnnotateConfig(
          null,
          List.of("en", "de", "fr", "es", "zh", "ru"),
          null,
          null,
          null,
          null,
          null,
          null,
          null);
  private static final HeuristicAnnotator A = new HeuristicAnnotator(CFG);

  @Test
  void turnStructureAndCharsPerRole() {
    var h =
        A.annotate(
            List.of(
                Message.system("You are helpful."),
                Message.user("Hi there"),
                Message.assistant("Hello! How can I help?"),
                Message.user("Tell me a joke"),
                Message.assistant(
                    "Why did the chicken cross the road? To get to the other side.")));
    assertEquals(4, h.turnsTotal());
    assertEquals(2, h.turnsUser());
    assertTrue(h.multiTurn());
    assertEquals("Hi there".length() + "Tell me a joke".length(), h.charsUser());
    assertNull(h.tokensUser(), "no tokenizer configured");
    assertFalse(h.shortResponse());
    assertEquals("en", h.language());
  }

  @Test
  void nonEnglishLanguages() {
    var de =
        A.annotate(
            List.of(
                Message.user(
                    "Kannst du mir bitte erklären, wie die Photosynthese bei Pflanzen funktioniert?"),
                Message.assistant("Gerne. Pflanzen nutzen Licht, Wasser und Kohlendioxid.")));
    assertEquals("de", de.language());
    assertTrue(de.languageConfidence() > 0.5, "confidence " + de.languageConfidence());
    var zh = A.annotate(List.of(Message.user("请告诉我如何学习中文语法和写作。"), Message.assistant("好的。")));
    assertEquals("zh", zh.language());
    assertTrue(zh.shortResponse(), "a 3-character answer is short");
  }

  @Test
  void codeBlocksAndLanguages() {
    var h =
        A.annotate(
            List.of(
                Message.user("Write a function that reverses a string"),
                Message.assistant(
                    "Here it is:\n```python\ndef rev(s):\n    return s[::-1]\n```\nand in C++:\n```\n#include <iostream>\nstd::string r;\n```")));
    assertTrue(h.hasCode());
    assertEquals(List.of("cpp", "python"), h.codeLanguages());
    var plain =
        A.annotate(
            List.of(
                Message.user("What is the capital of France?"), Message.assistant("Paris is.")));
    assertFalse(plain.hasCode());
    assertEquals(List.of(), plain.codeLanguages());
  }

  @Test
  void mathLatexAndEquations() {
    assertTrue(TextSignals.hasMath("Solve $x^2 + 1 = 5$ for x."));
    assertTrue(TextSignals.hasMath("The answer is \\boxed{42}."));
    assertTrue(TextSignals.hasMath("So 16 - 3 - 4 = 9 eggs remain."));
    assertFalse(TextSignals.hasMath("I paid $5 for lunch and $7 for dinner."));
    assertFalse(TextSignals.hasMath("Write a poem about the sea."));
  }

  @Test
  void emptyConversation() {
    var h = A.annotate(List.of());
    assertEquals(0, h.turnsTotal());
    assertEquals(LanguageDetection.UNKNOWN, h.language());
    assertEquals(0.0, h.languageConfidence());
    assertTrue(h.shortResponse(), "no response at all is short");
    assertEquals(0.0, h.dupLineFrac());
    assertEquals(0.0, h.specialCharRatio());
    assertFalse(h.instructionEndsColon());
    var emptyAnswer =
        A.annotate(List.of(Message.user("Translate the following:"), Message.assistant("  ")));
    assertTrue(emptyAnswer.shortResponse());
    assertTrue(emptyAnswer.instructionEndsColon());
  }

  @Test
  void veryLongRepetitiveResponse() {
    String line = "the same sentence is repeated over and over again here";
    String longText = (line + "\n").repeat(2000);
    var h = A.annotate(List.of(Message.user("Say something"), Message.assistant(longText)));
    assertEquals(1999.0 / 2000.0, h.dupLineFrac(), 1e-9);
    assertTrue(h.dupNgramFrac() > 0.99, "ngram frac " + h.dupNgramFrac());
    assertEquals(longText.length(), h.charsAssistant());
    assertEquals("en", h.language());
  }

  @Test
  void repetitionDefinitions() {
    // Lines a, b, a, c, a: two of five lines repeat an earlier one.
    assertEquals(0.4, TextSignals.dupLineFrac("a\nb\na\n\nc\na"), 1e-12);
    // 2-grams of "x y x y z": xy, yx, xy, yz; "x y" occurs twice -> 2 of 4 occurrences.
    assertEquals(0.5, TextSignals.dupNgramFrac("x y x y z", 2), 1e-12);
    assertEquals(0.0, TextSignals.dupNgramFrac("too short", 5));
    assertEquals(0.5, TextSignals.specialCharRatio("a#b$"), 1e-12);
  }

  @Test
  void refusals() {
    assertTrue(TextSignals.refusal(List.of("I'm sorry, but I can't help with that request.")));
    assertTrue(
        TextSignals.refusal(List.of("As an AI language model, I cannot provide medical advice.")));
    assertFalse(TextSignals.refusal(List.of("Sure! I can help you with that recipe.")));
  }
}
