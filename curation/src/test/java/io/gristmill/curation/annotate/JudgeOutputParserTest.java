package io.gristmill.curation.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gristmill.curation.annotate.JudgeOutputParser.Method;
import io.gristmill.curation.annotate.JudgeOutputParser.Parsed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A corpus of realistic judge answers, well-formed and broken, with the label each must give. */
class JudgeOutputParserTest {
  private final JudgeOutputParser quality = JudgeOutputParser.inputQuality();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          strict json               | {"explanation": "Clear and specific.", "input_quality": "excellent"}     | excellent | JSON
          strict json wrong case    | {"Input_Quality": "Good"}                                                 | good      | JSON
          prefill not echoed        | "explanation": "vague", "input_quality": "poor"}                          | poor      | REPAIRED_JSON
          truncated after value     | {"explanation": "The query is clear", "input_quality": "average"          | average   | REPAIRED_JSON
          single quotes             | {'explanation': 'ok', 'input_quality': 'very poor'}                       | very poor | REPAIRED_JSON
          trailing comma            | {"input_quality": "excellent",}                                           | excellent | REPAIRED_JSON
          prose around              | Sure! Here is my rating: {"input_quality": "good"} Hope this helps.       | good      | REPAIRED_JSON
          synonym value             | {"input_quality": "Great"}                                                | excellent | JSON
          underscore value          | {"input_quality": "VERY_POOR"}                                            | very poor | JSON
          plain prose               | The input quality is Excellent because it is specific.                    | excellent | PATTERN
          markdown field            | **Input quality:** average\\n**Explanation:** needs more context          | average   | PATTERN
          truncated inside value    | {"explanation": "The user asks for a recipe", "input_quality": "exc      | ~         | NONE
          """)
  void parsesCorpus(String name, String raw, String label, String method) {
    Parsed p = quality.parse(raw.replace("\\n", "\n"));
    if (label.equals("~")) {
      assertNull(p.label(), name + ": " + p);
      assertTrue(p.reason() != null, name);
    } else {
      assertEquals(label, p.label(), name + ": " + p);
      assertEquals(Method.valueOf(method), p.method(), name);
    }
  }

  @Test
  void twoLabelsIsAmbiguousNotAGuess() {
    Parsed p = quality.parse("I would say the quality is good or maybe excellent.");
    assertNull(p.label());
    assertEquals("ambiguous:good|excellent", p.reason());
    Parsed inJson = quality.parse("{\"input_quality\": \"good/excellent\"}");
    assertNull(inJson.label());
    assertTrue(inJson.reason().startsWith("ambiguous"), inJson.reason());
  }

  @Test
  void longestLabelWinsOverItsSuffix() {
    assertEquals("very poor", quality.parse("Rating: very poor").label());
    assertEquals(
        "very hard", JudgeOutputParser.difficulty().parse("difficulty: Very Hard").label());
  }

  @Test
  void emptyAndGarbageAreNullWithAReason() {
    assertEquals("empty", quality.parse("   ").reason());
    assertEquals("no_label", quality.parse("{{{{").reason());
    assertEquals("no_label", quality.parse("I cannot rate this.").reason());
  }

  @Test
  void taskCategoryForms() {
    JudgeOutputParser t = JudgeOutputParser.taskCategory();
    assertEquals(
        "Coding & Debugging",
        t.parse("{\"primary_tag\": \"coding and debugging\", \"other_tags\": [\"Math\"]}").label());
    assertEquals("Role playing", t.parse("{\"primary_tag\": \"Role-Playing\"}").label());
    assertEquals(
        "Information seeking", t.parse("\"primary_tag\": \"Information seeking\"").label());
  }

  @Test
  void llamaGuardSafety() {
    assertEquals("safe", JudgeOutputParser.safety("safe").label());
    assertEquals("unsafe:S1,S10", JudgeOutputParser.safety("unsafe\nS1,S10").label());
    assertEquals("unsafe", JudgeOutputParser.safety("UNSAFE").label());
    assertNull(JudgeOutputParser.safety("").label());
  }
}
