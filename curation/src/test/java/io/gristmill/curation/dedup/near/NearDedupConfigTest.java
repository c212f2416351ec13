package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class NearDedupConfigTest {
  @Test
  void defaults() {
    NearDedupConfig c = ConfigLoader.fromString("{}", "t.yaml", NearDedupConfig.class, List.of());
    assertThat(c).isEqualTo(NearDedupConfig.defaults());
    assertThat(c.ngram()).isEqualTo(5);
    assertThat(c.numPerm()).isEqualTo(128);
    assertThat(c.threshold()).isEqualTo(0.8);
    assertThat(c.field()).isEqualTo("first_user_turn");
    assertThat(c.exactVerify()).isTrue();
    assertThat(c.representative().preferLonger()).isTrue();
  }

  @Test
  void snakeCaseKeysBind() {
    String yaml =
        "field: conversation\nnum_perm: 112\nmin_tokens: 3\nverify: estimated\n"
            + "representative:\n  source_priority: [a, b]\n  quality_column: q\n";
    NearDedupConfig c = ConfigLoader.fromString(yaml, "t.yaml", NearDedupConfig.class, List.of());
    assertThat(c.numPerm()).isEqualTo(112);
    assertThat(c.minTokens()).isEqualTo(3);
    assertThat(c.exactVerify()).isFalse();
    assertThat(c.representative().sourcePriority()).containsExactly("a", "b");
    assertThat(c.representative().qualityColumn()).isEqualTo("q");
  }

  @Test
  void invalidValuesNameTheKey() {
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "threshold: 1.5", "t.yaml", NearDedupConfig.class, List.of()))
        .hasMessage(
            "Cannot load config t.yaml: key 'threshold' has invalid value '1.5': expected a number"
                + " in [0.05, 1.0].");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString("field: body", "t.yaml", NearDedupConfig.class, List.of()))
        .hasMessageContaining("key 'field' has invalid value 'body'")
        .hasMessageContaining("first_user_turn, user_turns, conversation");
  }
}
