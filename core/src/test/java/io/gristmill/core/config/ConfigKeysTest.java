package io.gristmill.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {
  record Inner(String path, Double threshold) {}

  enum Mode {
    FAST,
    SLOW
  }

  record Outer(String datasetName, List<Inner> sources, Inner nearDedup, Mode mode, boolean on) {}

  @Test
  void leafKeysAreSnakeCaseWithListsAndNestedRecords() {
    assertThat(ConfigKeys.of(Outer.class))
        .containsExactly(
            "dataset_name\ttext",
            "sources[i].path\ttext",
            "sources[i].threshold\tnumber",
            "near_dedup.path\ttext",
            "near_dedup.threshold\tnumber",
            "mode\tfast | slow",
            "on\ttrue | false");
    assertThat(ConfigKeys.helpBlock(Outer.class))
        .contains("  sources[i].threshold")
        .contains("number");
  }
}
