package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceConfigTest {
  @Test
  void bindsSnakeCaseKeysAndAPathOrAList() {
    SourceConfig one =
        ConfigLoader.fromString(
            "name: a\npath: x/*.jsonl\nformat: prompt_completion\nfile_format: json\n"
                + "fields: {output: /completions/0/completion}\n",
            "t.yaml",
            SourceConfig.class,
            List.of());
    assertThat(one.path()).containsExactly("x/*.jsonl");
    assertThat(one.format()).isEqualTo(Format.PROMPT_COMPLETION);
    assertThat(one.fileFormat()).isEqualTo(FileFormat.JSON);
    assertThat(one.field("output", "completion")).isEqualTo("/completions/0/completion");
    assertThat(one.promptOnly()).isFalse();
    SourceConfig list =
        ConfigLoader.fromString(
            "name: q\npath: [a.jsonl, b.jsonl]\nformat: turns\n",
            "t.yaml",
            SourceConfig.class,
            List.of());
    assertThat(list.path()).containsExactly("a.jsonl", "b.jsonl");
    assertThat(list.promptOnly()).isTrue();
  }

  @Test
  void rejectsUnknownFormatKeyAndFieldRename() {
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "name: a\npath: x\nformat: chatml\n", "t.yaml", SourceConfig.class, List.of()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("key 'format' has value 'chatml'")
        .hasMessageContaining("sharegpt");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "name: a\npath: x\nformat: alpaca\npromt_only: true\n",
                    "t.yaml",
                    SourceConfig.class,
                    List.of()))
        .hasMessageContaining("unknown key 'promt_only'");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "name: a\npath: x\nformat: alpaca\nfields: {answr: out}\n",
                    "t.yaml",
                    SourceConfig.class,
                    List.of()))
        .hasMessageContaining("key 'fields.answr' has invalid value 'out'");
  }

  @Test
  void ingestConfigChecksTheSizeLimit() {
    assertThat(IngestConfig.defaults().maxRecordBytes()).isEqualTo(1L << 20);
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "max_record_bytes: 0\n", "t.yaml", IngestConfig.class, List.of()))
        .hasMessage(
            "Cannot load config t.yaml: key 'max_record_bytes' has invalid value '0': expected an"
                + " integer in [64, 1073741824].");
  }

  @Test
  void bindsDataSourceAndNarrowsToNewPaths() {
    SourceConfig s =
        ConfigLoader.fromString(
            "name: g\npath: [a.jsonl, b.jsonl]\nformat: gsm8k\ndata_source: my/gsm8k\n",
            "t.yaml",
            SourceConfig.class,
            List.of());
    assertThat(s.dataSource()).isEqualTo("my/gsm8k");
    SourceConfig narrowed = s.withPaths(List.of("b.jsonl"));
    assertThat(narrowed.path()).containsExactly("b.jsonl");
    assertThat(narrowed.dataSource()).isEqualTo("my/gsm8k");
    assertThat(narrowed.name()).isEqualTo("g");
    assertThat(narrowed.format()).isEqualTo(Format.GSM8K);
    assertThat(SourceConfig.of("x", "y", Format.GSM8K).dataSource()).isNull();
    assertThat(SourceConfig.of("x", "y", Format.AMC23).promptOnly()).isTrue();
    assertThatThrownBy(() -> s.withPaths(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path");
  }

  /**
   * Regression (issue 14, finding 9): two sources of one name, and a source_priority naming no
   * source, were accepted without a word.
   */
  @Test
  void duplicateSourceNamesAndUnknownPriorityNamesAreConfigErrors() {
    SourceConfig a = SourceConfig.of("a", "x.jsonl", Format.MESSAGES);
    SourceConfig b = SourceConfig.of("b", "y.jsonl", Format.MESSAGES);
    assertThatThrownBy(
            () -> SourceConfig.checkNames("c.yaml", List.of(a, b, a), java.util.Map.of()))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot load config c.yaml: key 'sources[2].name' has invalid value 'a': expected a name"
                + " no other source has.");
    assertThatThrownBy(
            () ->
                SourceConfig.checkNames(
                    "c.yaml",
                    List.of(a, b),
                    java.util.Map.of("exact_dedup.source_priority", List.of("b", "z"))))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot load config c.yaml: key 'exact_dedup.source_priority' has invalid value 'z':"
                + " expected names of sources in this config: a, b.");
    SourceConfig.checkNames(
        "c.yaml", List.of(a, b), java.util.Map.of("exact_dedup.source_priority", List.of("b")));
  }
}
