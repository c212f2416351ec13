package io.gristmill.bridge.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ExportConfigTest {
  @Test
  void everyExampleExportConfigLoads() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(SharedData.repoDir().resolve("conf"))) {
      files = s.filter(p -> p.getFileName().toString().matches("export.*\\.yaml")).toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
    for (Path f : files) {
      ExportConfig c = ConfigLoader.load(f, ExportConfig.class, List.of());
      assertThat(c.shards().batchRows()).isPositive();
    }
    ExportConfig main =
        ConfigLoader.load(
            SharedData.repoDir().resolve("conf/export.yaml"), ExportConfig.class, List.of());
    assertThat(main.shards().targetBytes()).isEqualTo(268435456L);
    assertThat(main.shards().compression()).isEqualTo("none");
    assertThat(main.sft().overlong()).isEqualTo("skip");
    assertThat(main.sft().chatTemplate()).isEqualTo("model");
    // No fixture default: the tokenizer must be named explicitly for shards-sft.
    assertThat(main.sft().tokenizer()).isNull();
    assertThat(main.sft().maxUnknownTokenRate()).isEqualTo(0.01);
    assertThat(main.verl().split()).isEqualTo("train");
  }

  @Test
  void defaultsAndBadValues() {
    ExportConfig d = ConfigLoader.fromString("", "empty.yaml", ExportConfig.class, List.of());
    assertThat(d.shards().batchRows()).isEqualTo(1024);
    assertThat(d.sft().maxTokens()).isEqualTo(4096);
    assertThat(d.sft().overlong()).isEqualTo("skip");
    assertThat(d.sft().unknownTokenSampleRows()).isEqualTo(1000);
    assertThat(d.shards().shardCount(10_000, 1L << 30)).isEqualTo(4);
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "sft: {overlong: drop}", "x.yaml", ExportConfig.class, List.of()))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot load config x.yaml: key 'sft.overlong' has invalid value 'drop': expected"
                + " one of skip, truncate, fail.");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "sft: {chat_template: chatml}", "x.yaml", ExportConfig.class, List.of()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("expected one of model, builtin");
  }

  @Test
  void shardCompressionBindsAndRejectsUnknownCodecs() {
    assertThat(ExportConfig.defaults().shards().compression()).isEqualTo("none");
    ExportConfig z =
        ConfigLoader.fromString(
            "shards: {compression: zstd, num_shards: 2}", "z.yaml", ExportConfig.class, List.of());
    assertThat(z.shards().compression()).isEqualTo("zstd");
    assertThat(z.shards().numShards()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "shards: {compression: gzip}", "x.yaml", ExportConfig.class, List.of()))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot load config x.yaml: key 'shards.compression' has invalid value 'gzip':"
                + " expected one of none, lz4, zstd.");
  }
}
