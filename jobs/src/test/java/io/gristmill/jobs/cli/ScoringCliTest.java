package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gristmill score} and {@code gristmill value-model} from the CLI on GSM8K's labelled model
 * solutions (../shared): the math reward agrees with every label, and the value model trains and
 * selects prompts without a language model.
 */
class ScoringCliTest {
  private static final Path REPO = SharedData.repoDir();

  private static String run(String... args) {
    return CliRunner.run(args);
  }

  @Test
  void scoreThenTrainAndSelect(@TempDir Path out) {
    Path solutions = SharedData.require("rl_prompts/gsm8k/example_model_solutions.jsonl");
    Path test = SharedData.require("rl_prompts/gsm8k/test.jsonl");
    String score =
        run(
            "score",
            "--config",
            REPO.resolve("conf/scoring-gsm8k.yaml").toString(),
            "--set",
            "input.path=" + solutions,
            "--output",
            out.toString(),
            "--master",
            "local[2]");
    assertThat(score).containsPattern("label_agreement\\s+1\\n").contains("Snapshot written to: ");

    String[] common = {
      "--config",
      REPO.resolve("conf/value-model-gsm8k.yaml").toString(),
      "--set",
      "train.path=" + solutions,
      "--set",
      "pool.path=" + test,
      "--set",
      "model_path=" + out.resolve("vm"),
      "--set",
      "select_output=" + out.resolve("selected"),
      "--set",
      "model.max_iter=10",
      "--set",
      "m=32",
      "--master",
      "local[2]"
    };
    String train = run(concat("train", common));
    assertThat(train).contains("held out: ").contains("Spearman");
    String select = run(concat("select", common));
    assertThat(select).contains("selected 32 of 1319 prompts");
  }

  private static String[] concat(String action, String[] rest) {
    String[] a = new String[rest.length + 2];
    a[0] = "value-model";
    a[1] = action;
    System.arraycopy(rest, 0, a, 2, rest.length);
    return a;
  }
}
