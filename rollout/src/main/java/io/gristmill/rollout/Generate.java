package io.gristmill.rollout;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;

/** One-call generation for the CLI's {@code gristmill generate}. */
public final class Generate {
  private Generate() {}

  /**
   * Loads {@code modelDir} on the CPU, encodes {@code prompt} as raw text with BOS (no chat
   * template: this is a completion), generates one sample with prompt id {@code "cli"}, and returns
   * its text. {@code gristmill generate} prints it verbatim.
   */
  public static String complete(Path modelDir, String prompt, GenerationParams p) {
    try (CausalLm lm = CausalLm.load(modelDir, Device.cpu())) {
      CausalLm.setThreads(
          CausalLm.suggestedThreads(lm.config(), Runtime.getRuntime().availableProcessors()));
      int[] ids = lm.encodePrompt(prompt, false);
      GenerationParams one = p.withNumSamples(1);
      return new Generator(lm).generate(List.of(new PromptInput("cli", ids)), one).get(0).text();
    }
  }
}
