package io.gristmill.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.gristmill.core.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stop strings, top-k, max tokens and finish reasons on stories260K. */
class GenerationOptionsTest {
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

  private static SampleResult one(GenerationParams p) {
    return new Generator(lm).generate(List.of(new PromptInput("x", new int[] {1})), p).get(0);
  }

  @Test
  void stopStringCutsTheTextAndEndsWithStop() {
    SampleResult r = one(GenerationParams.greedy(100).withStopStrings(List.of("Lily")));
    assertThat(r.text()).isEqualTo("Once upon a time, there was a little girl named ");
    assertThat(r.finishReason()).isEqualTo(SampleResult.STOP);
    assertThat(r.responseTokenIds()).hasSameSizeAs(r.responseLogprobs());
  }

  @Test
  void maxNewTokensEndsWithLengthAndTopKOneIsGreedy() {
    SampleResult greedy = one(GenerationParams.greedy(20));
    SampleResult topOne = one(GenerationParams.defaults().withMaxNewTokens(20).withTopK(1));
    assertThat(greedy.responseTokens()).isEqualTo(20);
    assertThat(greedy.finishReason()).isEqualTo(SampleResult.LENGTH);
    assertThat(topOne.responseTokenIds()).containsExactly(greedy.responseTokenIds());
    assertThat(greedy.text()).startsWith("Once upon a time");
  }

  @Test
  void logprobsOfGreedyTokensMatchTeacherForcing() {
    SampleResult r = one(GenerationParams.greedy(10));
    int[] all = new int[11];
    all[0] = 1;
    System.arraycopy(r.responseTokenIds(), 0, all, 1, 10);
    double[] forced = lm.tokenLogprobs(all);
    for (int i = 0; i < 10; i++) {
      assertThat((double) r.responseLogprobs()[i])
          .isCloseTo(forced[i], org.assertj.core.api.Assertions.within(1e-3));
    }
  }
}
