package io.gristmill.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded samples of the project's own random checkpoints (no shared data): continuous batching at
 * several slot counts and static batching at several batch sizes give the same ids and the same
 * logprobs bit for bit (hidden size 172, not a multiple of the vector width; grouped-query
 * attention; prompts of 3 to 40 tokens; stop ids end samples at different steps).
 */
class BatchInvarianceTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"llama", "qwen2"})
  void everySchedulerAndBatchSizeGivesTheSameBits(String modelType) {
    TinyCheckpointWriter.write(tmp, TinyCheckpointSpec.tiny().withModelType(modelType));
    CausalLm.setThreads(1);
    try (CausalLm lm = CausalLm.load(tmp, Device.cpu())) {
      SplittableRandom rnd = new SplittableRandom(5);
      List<PromptInput> prompts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int[] ids = new int[3 + rnd.nextInt(38)];
        ids[0] = 1;
        for (int t = 1; t < ids.length; t++) {
          ids[t] = 3 + rnd.nextInt(lm.config().vocabSize() - 3);
        }
        prompts.add(new PromptInput("p" + i, ids));
      }
      List<Integer> stops = new ArrayList<>();
      for (int id = 100; id < 112; id++) {
        stops.add(id);
      }
      // max new tokens 32, seed 9, these stop ids, 4 samples; the rest defaults
      GenerationParams p =
          new GenerationParams(32, null, null, null, 9L, stops, null, 4, null, null, null, null);
      Generator g = new Generator(lm);
      List<SampleResult> ref =
          g.generate(prompts, p.withBatching(GenerationParams.STATIC).withBatchSize(8));
      assertThat(ref.stream().mapToInt(r -> r.responseTokenIds().length).distinct().count())
          .as("samples of different lengths")
          .isGreaterThan(3);
      for (String mode : List.of(GenerationParams.STATIC, GenerationParams.CONTINUOUS)) {
        for (int size : new int[] {2, 5, 28}) {
          List<SampleResult> r = g.generate(prompts, p.withBatching(mode).withBatchSize(size));
          for (int i = 0; i < ref.size(); i++) {
            String what = mode + " " + size + ", sample " + i;
            assertThat(r.get(i).responseTokenIds())
                .as(what)
                .containsExactly(ref.get(i).responseTokenIds());
            ContinuousBatchingTest.assertIdentical(
                r.get(i).responseLogprobs(), ref.get(i).responseLogprobs(), what);
          }
        }
      }
    }
  }

  @Test
  void batchedDecodeRowsEqualTheirOwnRunAlone() {
    TinyCheckpointWriter.write(tmp, TinyCheckpointSpec.tiny());
    CausalLm.setThreads(1);
    try (CausalLm lm = CausalLm.load(tmp, Device.cpu())) {
      List<PromptInput> prompts =
          List.of(
              new PromptInput("a", lm.encodePrompt("abc", false)),
              new PromptInput("b", lm.encodePrompt("a longer prompt than the first", false)));
      GenerationParams p =
          GenerationParams.defaults().withNumSamples(3).withMaxNewTokens(30).withSeed(4);
      Generator g = new Generator(lm);
      List<SampleResult> together = g.generate(prompts, p.withBatchSize(6));
      for (int i = 0; i < prompts.size(); i++) {
        List<SampleResult> alone = g.generate(List.of(prompts.get(i)), p.withBatchSize(1));
        for (int s = 0; s < 3; s++) {
          SampleResult t = together.get(i * 3 + s);
          assertThat(t.responseTokenIds()).containsExactly(alone.get(s).responseTokenIds());
          ContinuousBatchingTest.assertIdentical(
              t.responseLogprobs(), alone.get(s).responseLogprobs(), "prompt " + i + " " + s);
        }
      }
    }
  }
}
