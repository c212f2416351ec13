package io.gristmill.jobs.cli;

import io.gristmill.rollout.Generate;
import io.gristmill.rollout.GenerationParams;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gristmill generate}: one completion from a local checkpoint, printed as plain text only
 * (no banner, no trailing newline added), so a program can compare it. No Spark.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate one completion from a model folder and print it (plain text).")
final class GenerateCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "HuggingFace checkpoint folder or llama2.c .bin (or its folder).")
  Path model;

  @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "Prompt text.")
  String prompt;

  @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "256")
  int maxNewTokens;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      defaultValue = "1.0",
      description = "0 = greedy (default ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0")
  double topP;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "0 = off.")
  int topK;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0")
  long seed;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    System.setProperty("ai.djl.offline", "true");
    GenerationParams p =
        GenerationParams.defaults()
            .withMaxNewTokens(maxNewTokens)
            .withTemperature(temperature)
            .withTopP(topP)
            .withTopK(topK)
            .withSeed(seed);
    String text = Generate.complete(model, prompt, p);
    spec.commandLine().getOut().print(text);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
