package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CandidatePairsTest {
  private static List<String> asText(List<Row> rows) {
    return rows.stream().map(r -> r.getString(0) + "-" + r.getString(1)).toList();
  }

  @Test
  void smallBucketGivesAllPairsOrdered() {
    assertThat(asText(CandidateSparkStage.pairs(List.of("c", "a", "b"), 5)))
        .containsExactly("a-b", "a-c", "b-c");
  }

  @Test
  void largeBucketGivesStarAndChainInLinearSize() {
    assertThat(asText(CandidateSparkStage.pairs(List.of("d", "c", "a", "b"), 3)))
        .containsExactly("a-b", "a-c", "b-c", "a-d", "c-d");
  }
}
