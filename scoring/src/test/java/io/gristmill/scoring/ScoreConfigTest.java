package io.gristmill.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreConfigTest {
  private static ScoreConfig parse(String yaml) {
    return ConfigLoader.fromString(yaml, "s.yaml", ScoreConfig.class, List.of());
  }

  @Test
  void defaultsApply() {
    ScoreConfig c = parse("input: {path: x.jsonl}\nrewards: {default: {type: exact}}\n");
    assertThat(c.dataset()).isEqualTo("scored");
    assertThat(c.input().format()).isEqualTo("jsonl");
    assertThat(c.advantage().std()).isEqualTo("sample");
    assertThat(c.advantage().dapo()).isEqualTo("flag");
    assertThat(c.difficulty().tooHardAtMost()).isEqualTo(0.1);
    assertThat(c.dump().window()).isEqualTo(1000);
    assertThat(c.limits().maxSteps()).isEqualTo(2_000_000L);
    assertThat(c.rewards().get("default").correctWeight()).isEqualTo(1.0);
  }

  @Test
  void shippedConfigsLoad() {
    for (String f : List.of("conf/scoring-gsm8k.yaml", "conf/scoring-imported.yaml")) {
      ScoreConfig c = ScoreConfig.load(SharedData.repoDir().resolve(f), List.of());
      assertThat(c.rewards()).isNotEmpty();
    }
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> parse("input: {path: x, format: csv}\nrewards: {a: {type: math}}\n"))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot load config s.yaml: key 'input.format' has invalid value 'csv': expected one"
                + " of jsonl, parquet, rollout_snapshot, gsm8k_example_solutions.");
    assertThatThrownBy(() -> parse("input: {path: x}\nrewards: {a: {type: regex}}\n"))
        .hasMessageContaining("key 'rewards.a.type' has invalid value 'regex'");
    assertThatThrownBy(() -> parse("input: {path: x}\nrewards: {}\n"))
        .hasMessageContaining("key 'rewards' has invalid value '{}'");
    assertThatThrownBy(
            () -> parse("input: {path: x}\nrewards: {a: {type: math}}\ndump: {tau: 0}\n"))
        .hasMessageContaining("key 'dump.tau' has invalid value '0.0'");
    assertThatThrownBy(
            () ->
                parse(
                    "input: {path: x}\nrewards: {a: {}}\n"
                        + "difficulty: {too_hard_at_most: 0.6, too_easy_at_least: 0.5}\n"))
        .hasMessageContaining("key 'difficulty.too_easy_at_least' has invalid value '0.5'");
    assertThatThrownBy(() -> parse("rewards: {a: {}}\n"))
        .hasMessage(
            "Cannot load config s.yaml: required key 'input' is missing. Add it to the file or"
                + " pass --set input=VALUE.");
    assertThatThrownBy(() -> parse("input: {path: x, colour: red}\nrewards: {a: {}}\n"))
        .hasMessageContaining("unknown key 'input.colour'");
  }
}
