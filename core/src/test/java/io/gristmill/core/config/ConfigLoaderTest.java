package io.gristmill.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  /** A small config of the same shape as the real ones. */
  record Limits(Integer maxBytes, Double threshold) {
    Limits {
      maxBytes = Check.intInRange("max_bytes", maxBytes, 100, 1, 1000);
      threshold = Check.doubleInRange("threshold", threshold, 0.8, 0.0, 1.0);
    }
  }

  record Source(String name, String path) {
    Source {
      Check.requiredText("name", name);
      Check.required("path", path);
    }
  }

  enum Mode {
    REMOVE,
    FLAG
  }

  record Demo(String dataset, List<Source> sources, Limits limits, Boolean enabled, Mode mode) {
    Demo {
      Check.requiredText("dataset", dataset);
      sources = Check.listOrEmpty(sources);
      limits = limits == null ? new Limits(null, null) : limits;
    }
  }

  private static Demo load(String yaml, String... overrides) {
    return ConfigLoader.fromString(yaml, "demo.yaml", Demo.class, List.of(overrides));
  }

  @Test
  void bindsSnakeCaseKeysAndDefaults() {
    Demo d = load("dataset: d\nsources:\n  - {name: a, path: x.jsonl}\nlimits: {max_bytes: 7}\n");
    assertThat(d.dataset()).isEqualTo("d");
    assertThat(d.sources()).containsExactly(new Source("a", "x.jsonl"));
    assertThat(d.limits().maxBytes()).isEqualTo(7);
    assertThat(d.limits().threshold()).isEqualTo(0.8);
  }

  @Test
  void unknownKeyNamesFileKeyAndAlternatives() {
    assertThatThrownBy(() -> load("dataset: d\nlimits: {max_bytez: 7}\n"))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot load config demo.yaml: unknown key 'limits.max_bytez'. Expected one of:"
                + " max_bytes, threshold. Check the spelling.");
  }

  @Test
  void wrongTypeNamesValueAndExpectedType() {
    assertThatThrownBy(() -> load("dataset: d\nlimits: {max_bytes: lots}\n"))
        .hasMessage(
            "Cannot load config demo.yaml: key 'limits.max_bytes' has value 'lots' but expected an"
                + " integer.");
    assertThatThrownBy(() -> load("dataset: d\nenabled: maybe\n"))
        .hasMessage(
            "Cannot load config demo.yaml: key 'enabled' has value 'maybe' but expected true or"
                + " false.");
    assertThatThrownBy(() -> load("dataset: d\nmode: delete\n"))
        .hasMessage(
            "Cannot load config demo.yaml: key 'mode' has value 'delete' but expected one of remove,"
                + " flag.");
  }

  /** Regression (issue 14, finding 9): a key given twice kept the last value without a word. */
  @Test
  void duplicateKeyIsAConfigError() {
    assertThatThrownBy(() -> load("dataset: d\ndataset: e\n"))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("Cannot read config demo.yaml")
        .hasMessageContaining("dataset");
    assertThatThrownBy(() -> load("dataset: d\nlimits:\n  max_bytes: 7\n  max_bytes: 8\n"))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("max_bytes");
  }

  /** Regression (issue 14, finding 9): {@code max_bytes: 2.7} was silently truncated to 2. */
  @Test
  void fractionalValueForAnIntegerKeyIsAConfigError() {
    assertThatThrownBy(() -> load("dataset: d\nlimits: {max_bytes: 2.7}\n"))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot load config demo.yaml: key 'limits.max_bytes' has value '2.7' but expected an"
                + " integer.");
    assertThat(load("dataset: d\nlimits: {max_bytes: 7}\n").limits().maxBytes()).isEqualTo(7);
  }

  @Test
  void outOfRangeValueNamesFullKeyPath() {
    assertThatThrownBy(() -> load("dataset: d\nlimits: {threshold: 1.5}\n"))
        .hasMessage(
            "Cannot load config demo.yaml: key 'limits.threshold' has invalid value '1.5':"
                + " expected a number in [0.0, 1.0].");
  }

  @Test
  void missingRequiredKeyInListElement() {
    assertThatThrownBy(() -> load("dataset: d\nsources:\n  - {name: a}\n"))
        .hasMessage(
            "Cannot load config demo.yaml: required key 'sources[0].path' is missing. Add it to"
                + " the file or pass --set sources[0].path=VALUE.");
  }

  @Test
  void overridesApplyBeforeValidation() {
    Demo d = load("dataset: d\n", "limits.max_bytes=9", "sources[0].name=s", "sources[0].path=p");
    assertThat(d.limits().maxBytes()).isEqualTo(9);
    assertThat(d.sources()).containsExactly(new Source("s", "p"));
    assertThatThrownBy(() -> load("dataset: d\n", "limits.max_bytes=0"))
        .hasMessageContaining("key 'limits.max_bytes' has invalid value '0'");
    assertThatThrownBy(() -> load("dataset: d\n", "novalue"))
        .hasMessage(
            "Cannot apply --set 'novalue': expected the form key=value, e.g. --set"
                + " dedup.prompt_level=false.");
  }

  @Test
  void missingFileAndBadYamlFailClearly(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(missing, Demo.class, List.of()))
        .hasMessage(
            "Cannot read config "
                + missing
                + ": the file does not exist. Pass an existing YAML file to --config (examples are"
                + " in conf/).");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "dataset: [unclosed\n");
    assertThatThrownBy(() -> ConfigLoader.load(bad, Demo.class, List.of()))
        .isInstanceOf(GristmillException.class)
        .hasMessageStartingWith("Cannot read config " + bad + ": ")
        .extracting(e -> ((GristmillException) e).kind())
        .isEqualTo(GristmillException.Kind.CONFIG);
  }
}
