package io.gristmill.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.gristmill.core.testing.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching with shared-prompt prefill gives the same samples as static batching, ids and
 * logprobs bit for bit, for any slot count and batch size, on stories260K.
 */
class ContinuousBatchingTest {
  private static CausalLm lm;

  @BeforeAll
  static void load() {
    CausalLm.setThreads(1);
    lm = CausalLm.load(SharedData.require("models/stories260K"), Device.cpu());
  }

  @AfterAll
  static void close() {
    if (lm != null) {
      lm.close();
    }
  }

  private static List<PromptInput> prompts() {
    String[] starts = {
      "Once upon a time", "The cat sat", "Lily and Ben went to the park to play", "One day", "Tom"
    };
    List<PromptInput> out = new ArrayList<>();
    for (int i = 0; i < starts.length; i++) {
      out.add(new PromptInput("p" + i, lm.tokenizer().encode(starts[i], true)));
    }
    return out;
  }

  @Test
  void seededSamplesAreIdenticalToStaticBatchingForEverySlotCount() {
    // stop strings and EOS end samples at different steps, so slots are refilled mid-run
    GenerationParams p =
        GenerationParams.defaults()
            .withMaxNewTokens(40)
            .withTopP(0.9)
            .withNumSamples(3)
            .withSeed(11)
            .withStopStrings(List.of("."));
    Generator g = new Generator(lm);
    List<SampleResult> reference =
        g.generate(prompts(), p.withBatching(GenerationParams.STATIC).withBatchSize(4));
    assertThat(reference).hasSize(15);
    assertThat(reference.stream().map(SampleResult::finishReason).distinct())
        .contains(SampleResult.STOP);
    assertThat(reference.stream().mapToInt(r -> r.responseTokenIds().length).distinct().count())
        .as("samples of different lengths")
        .isGreaterThan(3);
    for (int slots : new int[] {1, 4, 7, 32}) {
      List<SampleResult> c =
          g.generate(prompts(), p.withBatching(GenerationParams.CONTINUOUS).withBatchSize(slots));
      assertThat(g.lastPrefills()).as("one prefill per prompt").isEqualTo(5);
      int used = Math.min(slots, reference.size());
      if (used > ContinuousBatcher.MIN_ROWS) {
        // once nothing waits, the tail's live rows move to a smaller cache (of MIN_ROWS or more)
        assertThat(g.lastCompactions()).as("slots %d: tail compacted", slots).isPositive();
        assertThat(g.lastRowSteps())
            .as("slots %d: rows computed", slots)
            .isLessThan(g.lastSteps() * used);
      }
      for (int i = 0; i < reference.size(); i++) {
        SampleResult a = reference.get(i);
        SampleResult b = c.get(i);
        assertThat(b.promptId()).isEqualTo(a.promptId());
        assertThat(b.sampleIndex()).isEqualTo(a.sampleIndex());
        assertThat(b.responseTokenIds())
            .as("slots %d, sample %d", slots, i)
            .containsExactly(a.responseTokenIds());
        assertIdentical(
            b.responseLogprobs(), a.responseLogprobs(), "slots " + slots + ", sample " + i);
        assertThat(b.text()).isEqualTo(a.text());
        assertThat(b.finishReason()).isEqualTo(a.finishReason());
      }
    }
  }

  /**
   * Logprobs are bit-identical: a decode row's numbers do not depend on the rows sharing its step,
   * its slot or the attention window, and both schedulers share the prefill.
   */
  static void assertIdentical(float[] actual, float[] expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Float.floatToIntBits(actual[i]))
          .as("%s, token %d: %s vs %s", what, i, actual[i], expected[i])
          .isEqualTo(Float.floatToIntBits(expected[i]));
    }
  }

  @Test
  void greedyContinuousMatchesStaticWithSlotsSmallerThanThePromptCount() {
    GenerationParams p = GenerationParams.greedy(60);
    Generator g = new Generator(lm);
    List<SampleResult> s = g.generate(prompts(), p.withBatching(GenerationParams.STATIC));
    List<SampleResult> c = g.generate(prompts(), p.withBatchSize(2));
    for (int i = 0; i < s.size(); i++) {
      assertThat(c.get(i).responseTokenIds()).containsExactly(s.get(i).responseTokenIds());
      assertIdentical(c.get(i).responseLogprobs(), s.get(i).responseLogprobs(), "sample " + i);
    }
  }
}
