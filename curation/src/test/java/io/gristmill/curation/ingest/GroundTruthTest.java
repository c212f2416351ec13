package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroundTruthTest {
  @Test
  void gsm8kTakesTheNumberAfterTheMarkerWithoutCommas() {
    assertThat(GroundTruth.gsm8k("3 - 1 = 2\n#### 2")).isEqualTo("2");
    assertThat(GroundTruth.gsm8k("so <<a=b>>\n#### 1,234,567 ")).isEqualTo("1234567");
    assertThat(GroundTruth.gsm8k("#### -7")).isEqualTo("-7");
    assertThat(GroundTruth.gsm8k("no marker here")).isNull();
    assertThat(GroundTruth.gsm8k("####   ")).isNull();
    assertThat(GroundTruth.gsm8k(null)).isNull();
  }

  @Test
  void mathTakesTheLastBoxedBraceMatched() {
    assertThat(GroundTruth.lastBoxed("$\\boxed{2}$")).isEqualTo("2");
    assertThat(GroundTruth.lastBoxed("first \\boxed{1}, then \\boxed{\\frac{1}{2}}."))
        .isEqualTo("\\frac{1}{2}");
    assertThat(GroundTruth.lastBoxed("\\boxed{\\{1, 2\\}}")).isEqualTo("\\{1, 2\\}");
    assertThat(GroundTruth.lastBoxed("\\boxed{x^{2}+\\sqrt{3}} ok")).isEqualTo("x^{2}+\\sqrt{3}");
    assertThat(GroundTruth.lastBoxed("\\boxed{unclosed")).isNull();
    assertThat(GroundTruth.lastBoxed("no box")).isNull();
    assertThat(GroundTruth.lastBoxed(null)).isNull();
  }

  @Test
  void numbersLoseATrailingPointZero() {
    assertThat(GroundTruth.number("27.0")).isEqualTo("27");
    assertThat(GroundTruth.number("2.5")).isEqualTo("2.5");
    assertThat(GroundTruth.number("10")).isEqualTo("10");
    com.fasterxml.jackson.databind.node.JsonNodeFactory f =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    // Large doubles print as 6.277334E9 in Java: the answer must stay plain.
    assertThat(GroundTruth.number(f.numberNode(6277334000.0))).isEqualTo("6277334000");
    assertThat(GroundTruth.number(f.numberNode(-9867630.0))).isEqualTo("-9867630");
    assertThat(GroundTruth.number(f.numberNode(3244047.0999999996)))
        .isEqualTo("3244047.0999999996");
    assertThat(GroundTruth.number(f.numberNode(0.0))).isEqualTo("0");
    assertThat(GroundTruth.number(f.numberNode(100))).isEqualTo("100");
    assertThat(GroundTruth.number(f.textNode("27.0"))).isEqualTo("27");
    assertThat(GroundTruth.number(f.nullNode())).isNull();
  }

  @Test
  void promptSetFormatsAreMarked() {
    assertThat(Format.GSM8K.isPromptSet()).isTrue();
    assertThat(Format.MATH.isPromptSet()).isTrue();
    assertThat(Format.MATH500.isPromptSet()).isTrue();
    assertThat(Format.VERL.isPromptSet()).isTrue();
    assertThat(Format.MESSAGES.isPromptSet()).isFalse();
    assertThat(Format.ALPACA.isPromptSet()).isFalse();
  }

  @Test
  void rlPromptFormatsBecomePromptsWithTheirAnswer() {
    ParseOutcome hard =
        Parsing.parse(
            Format.GSM_HARD, "{\"input\": \"Q?\", \"code\": \"x\", \"target\": 22.0, \"idx\": 3}");
    assertThat(hard.isKept()).isTrue();
    assertThat(hard.conversation().groundTruth()).isEqualTo("22");
    assertThat(hard.conversation().dataSource()).isEqualTo("reasoning-machines/gsm-hard");
    assertThat(hard.conversation().messages()).hasSize(1);
    assertThat(hard.conversation().originalId()).isEqualTo("3");

    ParseOutcome aime =
        Parsing.parse(
            Format.AIME24,
            "{\"id\": 60, \"problem\": \"P\", \"solution\": \"S\", \"answer\": \"204\"}");
    assertThat(aime.conversation().groundTruth()).isEqualTo("204");
    assertThat(aime.conversation().firstUserTurn()).isEqualTo("P");
    // The reference solution is the assistant turn, as for MATH.
    assertThat(aime.conversation().messages())
        .extracting(m -> m.role() + ":" + m.content())
        .containsExactly("user:P", "assistant:S");

    ParseOutcome amc =
        Parsing.parse(Format.AMC23, "{\"id\": 0, \"problem\": \"P\", \"answer\": 27.0}");
    assertThat(amc.conversation().groundTruth()).isEqualTo("27");
    assertThat(amc.conversation().dataSource()).isEqualTo("amc23");

    ParseOutcome ob =
        Parsing.parse(
            Format.OLYMPIADBENCH,
            "{\"id\": 1, \"question\": \"Q\", \"solution\": [\"s1\", \"s2\"],"
                + " \"final_answer\": [\"$1$\", \"$\\\\frac{1}{2}$\"]}");
    assertThat(ob.conversation().groundTruth()).isEqualTo("1, \\frac{1}{2}");
    assertThat(ob.conversation().dataSource()).isEqualTo("olympiadbench");
    assertThat(ob.conversation().messages())
        .extracting(m -> m.role() + ":" + m.content())
        .containsExactly("user:Q", "assistant:s1");
    assertThat(Format.OLYMPIADBENCH.isPromptSet()).isTrue();

    ParseOutcome minerva =
        Parsing.parse(
            Format.MINERVA_MATH,
            "{\"problem\": \"P\", \"solution\": \"so $s=\\\\boxed{1.6} \\\\mathrm{~cm}$\","
                + " \"type\": \"Astro\", \"idx\": 0}");
    assertThat(minerva.conversation().groundTruth()).isEqualTo("1.6");
    assertThat(minerva.conversation().dataSource()).isEqualTo("minerva_math");
    assertThat(minerva.conversation().messages()).hasSize(2);
    assertThat(minerva.conversation().originalId()).isEqualTo("0");
    assertThat(Format.MINERVA_MATH.isPromptSet()).isTrue();
  }

  @Test
  void chatAndPromptSetFormatsGetTheirColumns() {
    ParseOutcome gsm =
        Parsing.parse(Format.GSM8K, "{\"question\": \"Q\", \"answer\": \"x\\n#### 1,200\"}");
    assertThat(gsm.conversation().groundTruth()).isEqualTo("1200");
    assertThat(gsm.conversation().dataSource()).isEqualTo("openai/gsm8k");
    assertThat(gsm.conversation().messages()).hasSize(2);
    ParseOutcome math =
        Parsing.parse(
            Format.MATH,
            "{\"problem\": \"P\", \"solution\": \"\\\\boxed{\\\\frac{a}{b}}\", \"level\": \"Level 1\"}");
    assertThat(math.conversation().groundTruth()).isEqualTo("\\frac{a}{b}");
    assertThat(math.conversation().dataSource()).isEqualTo("lighteval/MATH");
    ParseOutcome m500 =
        Parsing.parse(
            Format.MATH500,
            "{\"problem\": \"P\", \"solution\": \"\\\\boxed{3}\", \"answer\": \"3.0\"}");
    assertThat(m500.conversation().groundTruth()).isEqualTo("3.0");
    assertThat(m500.conversation().dataSource()).isEqualTo("HuggingFaceH4/MATH-500");
    ParseOutcome chat =
        Parsing.parse(Format.ALPACA, "{\"instruction\": \"I\", \"output\": \"#### 4\"}");
    assertThat(chat.conversation().groundTruth()).isNull();
    assertThat(chat.conversation().dataSource()).isNull();
  }

  @Test
  void aSourceMayOverrideTheDataSourceAndTheAnswerField() {
    SourceConfig src =
        Parsing.withFields("s", Format.AMC23, java.util.Map.of("answer", "gold"))
            .withDataSource("my/amc");
    ParseOutcome o =
        Parsing.parse(src, "{\"problem\": \"P\", \"answer\": 27.0, \"gold\": \"twenty-seven\"}");
    assertThat(o.conversation().groundTruth()).isEqualTo("twenty-seven");
    assertThat(o.conversation().dataSource()).isEqualTo("my/amc");
  }

  @Test
  void dollarsAroundAnAnswerAreStripped() {
    assertThat(GroundTruth.stripDollars("$2n$")).isEqualTo("2n");
    assertThat(GroundTruth.stripDollars("$$x$$ ")).isEqualTo("x");
    assertThat(GroundTruth.stripDollars("2")).isEqualTo("2");
    assertThat(GroundTruth.stripDollars("$$")).isNull();
  }
}
