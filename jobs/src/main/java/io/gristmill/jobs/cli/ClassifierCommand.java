package io.gristmill.jobs.cli;

import io.gristmill.core.config.ConfigLoader;
import io.gristmill.curation.annotate.ClassifierConfig;
import io.gristmill.curation.annotate.TaskClassifier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gristmill classifier train|evaluate --config FILE}: trains the task-category classifier
 * (Magpie's 12 labels) on labeled sources, holding out whole source datasets/templates, prints
 * held-out accuracy, macro-F1 and the confusion matrix beside a majority-class baseline; {@code
 * train} also saves the model to {@code model}.
 */
@Command(
    name = "classifier",
    mixinStandardHelpOptions = true,
    description =
        "Train (and save) or evaluate the task-category classifier; prints held-out accuracy,"
            + " macro-F1 and a confusion matrix beside a majority-class baseline.")
final class ClassifierCommand implements Callable<Integer> {
  @Mixin JobOptions options;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", description = "train | evaluate")
  String action;

  @Override
  public Integer call() {
    if (!action.equals("train") && !action.equals("evaluate")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Unknown action '" + action + "': use train or evaluate");
    }
    ClassifierConfig cfg =
        ConfigLoader.load(options.config(), ClassifierConfig.class, options.overrides());
    String text =
        options.withSpark(
            "classifier",
            spark -> {
              TaskClassifier.Trained t = TaskClassifier.train(spark, cfg);
              if (action.equals("train")) {
                TaskClassifier.save(t.model(), cfg.model());
              }
              return t.render()
                  + (action.equals("train") ? "model saved to " + cfg.model() + "\n" : "");
            });
    spec.commandLine().getOut().print(text);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
