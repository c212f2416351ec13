package io.gristmill.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.gristmill.core.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Karpathy's stories260K against the verification values of shared/data/MANIFEST.md §5.1. */
class Stories260kTest {
  static final String SENTENCE = "One day, a clever fox found a shiny key under the old oak tree.";
  static final int[] SENTENCE_IDS = {
    1, 385, 328, 432, 261, 280, 305, 330, 272, 414, 444, 272, 277, 264, 261, 262, 415, 271, 422,
    410, 354, 422, 318, 264, 285, 265, 334, 341, 334, 412, 433, 259, 276, 411, 426
  };
  private static Path dir;
  private static CausalLm lm;

  @BeforeAll
  static void load() {
    dir = SharedData.require("models/stories260K");
    CausalLm.setThreads(1);
    lm = CausalLm.load(dir, Device.cpu());
  }

  @AfterAll
  static void close() {
    if (lm != null) {
      lm.close();
    }
  }

  /** The greedy story printed in stories260K.md, between the run command and the fence. */
  static String expectedStory(Path dir) throws IOException {
    String md = Files.readString(dir.resolve("stories260K.md"), StandardCharsets.UTF_8);
    int start = md.indexOf("-t 0.0\n") + "-t 0.0\n".length();
    int end = md.indexOf("```", start);
    return md.substring(start, end);
  }

  @Test
  void tokenizerGivesTheManifestIds() {
    assertThat(lm.tokenizer().encode(SENTENCE, true)).containsExactly(SENTENCE_IDS);
    assertThat(lm.tokenizer().decode(SENTENCE_IDS, -1)).isEqualTo(SENTENCE);
  }

  @Test
  void teacherForcedPerplexityMatchesPublishedValue() {
    double[] lp = lm.tokenLogprobs(SENTENCE_IDS);
    double nll = 0;
    for (double x : lp) {
      nll -= x;
    }
    assertThat(lp).hasSize(34);
    assertThat(Math.exp(nll / lp.length)).isCloseTo(4.95364, within(1e-4));
  }

  @Test
  void greedyFromBosReproducesTheStory() throws IOException {
    String text = Generate.complete(dir, "", GenerationParams.greedy(256));
    assertThat(text + "\n").isEqualTo(expectedStory(dir));
  }

  @Test
  void batchSizesOneAndSixteenGiveTheSameGreedyIds() {
    String[] starts = {
      "Once upon a time",
      "The cat",
      "Lily and Ben went to the park",
      "One day",
      "Tom had a red ball",
      "The sun",
      "A little bird sat on a tree",
      "Sue",
      "The big dog ran",
      "Mom said",
      "There was a boy named Tim who loved to play",
      "It was",
      "The girl saw a",
      "Max and his friend",
      "Once there was a tiny frog",
      "He"
    };
    List<PromptInput> prompts = new ArrayList<>();
    for (int i = 0; i < starts.length; i++) {
      prompts.add(new PromptInput("p" + i, lm.tokenizer().encode(starts[i], true)));
    }
    GenerationParams p = GenerationParams.greedy(48);
    Generator g = new Generator(lm);
    List<SampleResult> batched = g.generate(prompts, p.withBatchSize(16));
    List<SampleResult> single = g.generate(prompts, p.withBatchSize(1));
    for (int i = 0; i < prompts.size(); i++) {
      assertThat(batched.get(i).responseTokenIds())
          .as("prompt %s", starts[i])
          .containsExactly(single.get(i).responseTokenIds());
      assertThat(batched.get(i).text()).isEqualTo(single.get(i).text());
    }
  }

  @Test
  void cachedAndUncachedDecodingAgree() {
    List<PromptInput> prompts =
        List.of(new PromptInput("a", lm.tokenizer().encode("The cat", true)));
    Generator g = new Generator(lm);
    GenerationParams p = GenerationParams.greedy(40);
    assertThat(g.generate(prompts, p.withKvCache(false)).get(0).responseTokenIds())
        .containsExactly(g.generate(prompts, p).get(0).responseTokenIds());
  }

  @Test
  void seededSamplingIsReproducibleAndDependsOnTheSeed() {
    List<PromptInput> prompts =
        List.of(
            new PromptInput("q1", lm.tokenizer().encode("Once upon a time", true)),
            new PromptInput("q2", lm.tokenizer().encode("The dog", true)));
    GenerationParams p =
        GenerationParams.defaults()
            .withMaxNewTokens(30)
            .withTopP(0.9)
            .withNumSamples(3)
            .withSeed(7);
    Generator g = new Generator(lm);
    List<SampleResult> a = g.generate(prompts, p);
    List<SampleResult> b = g.generate(prompts, p.withBatchSize(2));
    List<SampleResult> other = g.generate(prompts, p.withSeed(8));
    assertThat(a).hasSize(6);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).responseTokenIds()).containsExactly(a.get(i).responseTokenIds());
      assertThat(b.get(i).seed()).isEqualTo(a.get(i).seed());
      for (float lp : a.get(i).responseLogprobs()) {
        assertThat(lp).isFinite().isLessThanOrEqualTo(0f);
      }
    }
    assertThat(a.get(0).text()).isNotEqualTo(a.get(1).text());
    boolean anyDiffers = false;
    for (int i = 0; i < a.size(); i++) {
      anyDiffers |= !a.get(i).text().equals(other.get(i).text());
    }
    assertThat(anyDiffers).as("a different run seed changes some sample").isTrue();
  }
}
