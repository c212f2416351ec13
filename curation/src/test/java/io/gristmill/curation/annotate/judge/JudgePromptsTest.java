package io.gristmill.curation.annotate.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.record.Message;
import io.gristmill.core.testing.SharedData;
import io.gristmill.curation.annotate.AnnotationColumns;
import io.gristmill.rollout.ChatTemplate;
import io.gristmill.rollout.SampleResult;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Templates, question rendering and prefill, and the parse path of answers; no model. */
class JudgePromptsTest {
  private static final String TEMPLATES =
      SharedData.repoDir().resolve("conf/annotation").toString();
  private static final List<Message> CONV =
      List.of(
          new Message("system", "Be brief."),
          Message.user("How do I reverse a list in Python?"),
          new Message("assistant", "Use reversed(xs) or xs[::-1]."));

  private static JudgePrompts prompts(List<String> aspects, int maxChars) {
    JudgeConfig cfg =
        new JudgeConfig(
            null, "unused", null, null, null, null, aspects, TEMPLATES, maxChars, null, null, null,
            null, null);
    return JudgePrompts.load(cfg);
  }

  @Test
  void everyAspectTemplateLoadsWithoutItsCommentHeader() {
    JudgePrompts p =
        prompts(
            List.of("input_quality", "difficulty", "task_category", "safety", "judge_score"), 4000);
    for (JudgeAspect a : JudgeAspect.values()) {
      String t = p.template(a);
      assertThat(t).doesNotStartWith("#").isNotBlank();
      assertThat(t.contains("{input}") || t.contains("{conversation}")).as(a.key()).isTrue();
    }
  }

  @Test
  void questionFillsTheFirstUserTurnOrTheWholeConversation() {
    JudgePrompts p = prompts(List.of("input_quality", "safety"), 4000);
    String q = p.question(JudgeAspect.INPUT_QUALITY, CONV);
    assertThat(q)
        .contains("<<<\nHow do I reverse a list in Python?\n>>>")
        .doesNotContain("{input}")
        .doesNotContain("reversed(xs)");
    String s = p.question(JudgeAspect.SAFETY, CONV);
    assertThat(s)
        .contains(
            "system: Be brief.\nuser: How do I reverse a list in Python?\n"
                + "assistant: Use reversed(xs) or xs[::-1].")
        .doesNotContain("{conversation}");
  }

  @Test
  void nothingToAskIsNullAndLongTextIsCutAndMarked() {
    JudgePrompts p = prompts(List.of("input_quality", "safety"), 20);
    assertThat(p.question(JudgeAspect.INPUT_QUALITY, List.of(new Message("assistant", "hi"))))
        .isNull();
    assertThat(p.question(JudgeAspect.SAFETY, List.of())).isNull();
    String q = p.question(JudgeAspect.INPUT_QUALITY, List.of(Message.user("x".repeat(100))));
    assertThat(q).contains("<<<\n" + "x".repeat(20) + JudgePrompts.CUT_MARK + "\n>>>");
  }

  @Test
  void renderedQuestionIsAUserTurnWithTheAnswerPrefilled() {
    ChatTemplate chat = ChatTemplate.of(TinyCheckpointWriter.CHAT_TEMPLATE, "<s>", "</s>", null);
    assertThat(JudgePrompts.rendered(chat, "Rate this.", JudgeAspect.DIFFICULTY))
        .isEqualTo("<s><|user|>\nRate this.</s>\n<|assistant|>\n{");
    assertThat(JudgePrompts.rendered(chat, "Is this safe?", JudgeAspect.SAFETY))
        .isEqualTo("<s><|user|>\nIs this safe?</s>\n<|assistant|>\n");
    assertThat(JudgePrompts.rendered(null, "Rate this.", JudgeAspect.INPUT_QUALITY))
        .isEqualTo("Rate this.\n\n{");
  }

  @Test
  void jsonAspectsStopAtTheClosingBraceAndSafetyDoesNot() {
    assertThat(JudgeAspect.INPUT_QUALITY.stopStrings()).containsExactly("}");
    assertThat(JudgeAspect.SAFETY.stopStrings()).isEmpty();
    assertThat(JudgeAspect.TASK_CATEGORY.column()).isEqualTo(AnnotationColumns.TASK_CATEGORY);
  }

  /**
   * Generated text as the engine returns it: cut before the "}" stop string, prefill not echoed.
   */
  @Test
  void answersAreReassembledAndParsedIntoLabelsOrReasons() {
    JudgeAspect q = JudgeAspect.INPUT_QUALITY;
    assertThat(q.answer("\"explanation\": \"clear\", \"input_quality\": \"good\"", true))
        .isEqualTo("{\"explanation\": \"clear\", \"input_quality\": \"good\"}");
    Map<String, String> cases =
        Map.of(
            "\"explanation\": \"clear\", \"input_quality\": \"good\"", "good",
            "\"explanation\": \"ok\", 'input_quality': 'Excellent',", "excellent",
            "\"input_quality\": \"very po", "unknown_value", // cut by the token limit
            "\"explanation\": \"the request is", "no_label",
            "", "no_label");
    cases.forEach(
        (generated, expected) -> {
          JudgeCore.Verdict v = JudgeCore.Verdict.of(q.parse(q.answer(generated, true)));
          String got = v.label() != null ? v.label() : v.reason().split(":")[0];
          assertThat(got).as(generated).isEqualTo(expected);
          assertThat(v.label() == null).isEqualTo(v.reason() != null);
        });
    JudgeAspect t = JudgeAspect.TASK_CATEGORY;
    assertThat(
            t.parse(t.answer("\"primary_tag\": \"coding and debugging\", \"other_tags\": []", true))
                .label())
        .isEqualTo("Coding & Debugging");
    JudgeAspect s = JudgeAspect.SAFETY;
    assertThat(s.parse(s.answer("unsafe\nS2,S7", false)).label()).isEqualTo("unsafe:S2,S7");
    assertThat(s.parse(s.answer("safe", false)).label()).isEqualTo("safe");
    JudgeAspect j = JudgeAspect.JUDGE_SCORE;
    assertThat(j.parse(j.answer("\"explanation\": \"fine\", \"score\": 4", true)).label())
        .isEqualTo("4");
    assertThat(j.parse(j.answer("\"score\": \"five\"", true)).label()).isEqualTo("5");
  }

  @Test
  void stopOnTheBraceIsToldApartFromEosAndLength() {
    Set<Integer> eos = Set.of(2);
    SampleResult brace = sample(new int[] {40, 125}, SampleResult.STOP);
    SampleResult eosStop = sample(new int[] {40, 2}, SampleResult.STOP);
    SampleResult length = sample(new int[] {40, 41}, SampleResult.LENGTH);
    assertThat(JudgeCore.stoppedAtBrace(brace, eos)).isTrue();
    assertThat(JudgeCore.stoppedAtBrace(eosStop, eos)).isFalse();
    assertThat(JudgeCore.stoppedAtBrace(length, eos)).isFalse();
  }

  private static SampleResult sample(int[] ids, String finish) {
    return new SampleResult("p", 0, 0L, new int[] {1}, ids, new float[ids.length], "", finish);
  }

  @Test
  void configRejectsUnknownAndRepeatedAspects() {
    assertThatThrownBy(() -> JudgeConfig.of("m").withAspects(List.of("fluency")))
        .hasMessageContaining("judge.aspects")
        .hasMessageContaining("input_quality");
    assertThatThrownBy(() -> JudgeConfig.of("m").withAspects(List.of("safety", "safety")))
        .hasMessageContaining("each aspect at most once");
    assertThat(JudgeConfig.of("m").aspects()).isEqualTo(JudgeConfig.DEFAULT_ASPECTS);
    assertThatThrownBy(() -> JudgeConfig.of(null)).hasMessageContaining("judge.model");
  }
}
