package io.gristmill.curation.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Message;
import io.gristmill.curation.dedup.near.WordShingler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NgramIndexTest {
  private static List<BenchmarkItem> fixtureItems() {
    List<BenchmarkItem> items = new ArrayList<>();
    DecontamFixtures.specs().forEach(s -> items.addAll(BenchmarkLoader.load(s)));
    return items;
  }

  @Test
  void shortItemsAreUnindexedAndBoilerplateIsDropped() {
    NgramIndex idx = NgramIndex.build(fixtureItems(), 8, 1);
    assertThat(idx.unindexedItems()).containsEntry("bench_a", 1);
    assertThat(idx.indexedItems()).isEqualTo(6);
    // "answer the following question with care and show your reasoning which" is shared by two
    // bench_b items: its 8-grams are boilerplate.
    assertThat(idx.boilerplateNgrams()).isEqualTo(4);
    long[] boiler =
        WordShingler.shingles(
                "Answer the following question with care and show your reasoning.",
                8,
                NgramIndex.SEED)
            .hashes();
    assertThat(idx.match(boiler, 0.0)).isEmpty();
  }

  @Test
  void verbatimItemMatchesWithFullOverlapAndNormalizationIgnoresCase() {
    NgramIndex idx = NgramIndex.build(fixtureItems(), 8, 1);
    ContaminationMatcher m = new ContaminationMatcher(idx, DecontamFixtures.config("remove"));
    List<NgramIndex.Match> hits =
        m.match(
            List.of(
                Message.user(
                    "please solve: a FARMER has seventeen sheep, and all but nine run away into"
                        + " the hills near the old river bridge. how many sheep are left on the"
                        + " farm now?"),
                Message.assistant("Nine.")));
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).benchmark()).isEqualTo("bench_a");
    assertThat(hits.get(0).item()).isEqualTo("A1");
    assertThat(hits.get(0).overlap()).isEqualTo(1.0);
  }

  @Test
  void partialOverlapIsAFractionAndRolesAreRespected() {
    NgramIndex idx = NgramIndex.build(fixtureItems(), 8, 1);
    String half = "Write a function that returns the sum of the squares of all odd numbers";
    DecontaminationConfig userOnly =
        new DecontaminationConfig(null, 8, null, "user", DecontamFixtures.specs(), 1, null);
    List<NgramIndex.Match> hits =
        new ContaminationMatcher(idx, userOnly).match(List.of(Message.user(half)));
    assertThat(hits).singleElement().satisfies(h -> assertThat(h.overlap()).isBetween(0.2, 0.6));
    assertThat(new ContaminationMatcher(idx, userOnly).match(List.of(Message.assistant(half))))
        .isEmpty();
    DecontaminationConfig strict =
        new DecontaminationConfig(null, 8, null, null, DecontamFixtures.specs(), 1, 0.9);
    assertThat(new ContaminationMatcher(idx, strict).match(List.of(Message.user(half)))).isEmpty();
  }
}
