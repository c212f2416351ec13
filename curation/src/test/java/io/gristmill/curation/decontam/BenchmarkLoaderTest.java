package io.gristmill.curation.decontam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkLoaderTest {
  @Test
  void readsJsonLinesCsvAndJsonArrays() {
    List<BenchmarkSpec> specs = DecontamFixtures.specs();
    List<BenchmarkItem> a = BenchmarkLoader.load(specs.get(0));
    assertThat(a).extracting(BenchmarkItem::item).containsExactly("A1", "A2", "A3");
    List<BenchmarkItem> b = BenchmarkLoader.load(specs.get(1));
    assertThat(b).extracting(BenchmarkItem::item).containsExactly("0", "1", "2");
    assertThat(b.get(0).text()).startsWith("Which planet in our solar system");
    List<BenchmarkItem> c = BenchmarkLoader.load(specs.get(2));
    assertThat(c.get(0).text())
        .contains("trip to Hawaii")
        .contains("\nRewrite your previous response");
    assertThat(specs.get(1).format()).isEqualTo("csv");
    assertThat(specs.get(2).format()).isEqualTo("json");
  }

  @Test
  void missingFieldAndMissingFileFailWithTheirNames() {
    String p = DecontamFixtures.path("bench_a.jsonl");
    assertThatThrownBy(
            () -> BenchmarkLoader.load(new BenchmarkSpec("x", p, null, List.of("prompt"), null)))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot index benchmark 'x': no item of "
                + p
                + " has the field 'prompt'. Fix decontamination.benchmarks[].fields for this file.");
    assertThatThrownBy(
            () ->
                BenchmarkLoader.load(
                    new BenchmarkSpec("x", "/nope/none.jsonl", null, List.of("q"), null)))
        .hasMessageContaining("no file matches '/nope/none.jsonl'");
  }
}
