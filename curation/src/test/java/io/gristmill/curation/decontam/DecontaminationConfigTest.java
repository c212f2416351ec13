package io.gristmill.curation.decontam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecontaminationConfigTest {
  @Test
  void bindsBenchmarksWithDefaults() {
    String yaml =
        "policy: flag\nbenchmarks:\n  - name: gsm8k\n    path: data/test.jsonl\n"
            + "    fields: [question]\n";
    DecontaminationConfig c =
        ConfigLoader.fromString(yaml, "d.yaml", DecontaminationConfig.class, List.of());
    assertThat(c.ngram()).isEqualTo(13);
    assertThat(c.removes()).isFalse();
    assertThat(c.check()).isEqualTo("both");
    assertThat(c.maxItemFrequency()).isEqualTo(10);
    assertThat(c.benchmarks())
        .singleElement()
        .satisfies(b -> assertThat(b.format()).isEqualTo("jsonl"));
  }

  @Test
  void rejectsBadPolicyAndBenchmarkWithoutFields() {
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "policy: drop", "d.yaml", DecontaminationConfig.class, List.of()))
        .hasMessage(
            "Cannot load config d.yaml: key 'policy' has invalid value 'drop': expected one of"
                + " remove, flag.");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "benchmarks: [{name: x, path: y.jsonl}]",
                    "d.yaml",
                    DecontaminationConfig.class,
                    List.of()))
        .hasMessageContaining("fields")
        .hasMessageContaining("a non-empty list of field names");
  }

  @Test
  void bindsTheParaphraseSectionWithDefaults() {
    String yaml = "benchmarks: []\nparaphrase:\n  top_k: 3\n  math_number_recall: 0.8\n";
    DecontaminationConfig c =
        ConfigLoader.fromString(yaml, "d.yaml", DecontaminationConfig.class, List.of());
    assertThat(c.paraphrases()).isTrue();
    assertThat(c.paraphrase().topK()).isEqualTo(3);
    assertThat(c.paraphrase().mathNumberRecall()).isEqualTo(0.8);
    assertThat(c.paraphrase().floor()).isEqualTo(0.35);
    assertThat(
            ConfigLoader.fromString(
                    "policy: flag", "d.yaml", DecontaminationConfig.class, List.of())
                .paraphrases())
        .isFalse();
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "paraphrase: {floor: 2}", "d.yaml", DecontaminationConfig.class, List.of()))
        .hasMessageContaining("paraphrase.floor");
  }

  @Test
  void bindsTheOptionalEmbeddingSectionAndRequiresItsModel() {
    String yaml =
        "paraphrase:\n  embedding:\n    model: models/minilm\n    min_cosine: 0.75\n"
            + "    batch_size: 16\n";
    DecontaminationConfig c =
        ConfigLoader.fromString(yaml, "d.yaml", DecontaminationConfig.class, List.of());
    var e = c.paraphrase().embedding();
    assertThat(e.model()).isEqualTo("models/minilm");
    assertThat(e.minCosine()).isEqualTo(0.75);
    assertThat(e.batchSize()).isEqualTo(16);
    assertThat(e.topK()).isEqualTo(5);
    assertThat(e.device()).isEqualTo("cpu");
    assertThat(e.acceptCosine()).isEqualTo(0.85);
    assertThat(e.acceptMinInfo()).isEqualTo(6.0);
    var tuned =
        ConfigLoader.fromString(
                "paraphrase: {embedding: {model: m, accept_cosine: 0.9, accept_min_info: 4}}",
                "d.yaml",
                DecontaminationConfig.class,
                List.of())
            .paraphrase()
            .embedding();
    assertThat(tuned.acceptCosine()).isEqualTo(0.9);
    assertThat(tuned.acceptMinInfo()).isEqualTo(4.0);
    assertThat(
            ConfigLoader.fromString(
                    "paraphrase: {top_k: 3}", "d.yaml", DecontaminationConfig.class, List.of())
                .paraphrase()
                .embedding())
        .isNull();
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "paraphrase: {embedding: {min_cosine: 0.9}}",
                    "d.yaml",
                    DecontaminationConfig.class,
                    List.of()))
        .hasMessageContaining("paraphrase.embedding.model");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "paraphrase: {embedding: {model: m, min_cosine: 2}}",
                    "d.yaml",
                    DecontaminationConfig.class,
                    List.of()))
        .hasMessageContaining("paraphrase.embedding.min_cosine");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromString(
                    "paraphrase: {embedding: {model: m, pooling: cls}}",
                    "d.yaml",
                    DecontaminationConfig.class,
                    List.of()))
        .hasMessageContaining("pooling");
  }
}
