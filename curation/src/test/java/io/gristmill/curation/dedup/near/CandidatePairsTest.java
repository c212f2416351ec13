package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CandidatePairsTest {
  private static List<String> asText(List<long[]> pairs) {
    return pairs.stream().map(p -> p[0] + "-" + p[1]).toList();
  }

  @Test
  void smallBucketGivesAllPairsOrdered() {
    assertThat(asText(CandidateSparkStage.pairs(new long[] {3, 1, 2}, new boolean[3], 5)))
        .containsExactly("1-2", "1-3", "2-3");
  }

  @Test
  void largeBucketGivesStarAndChainInLinearSize() {
    assertThat(asText(CandidateSparkStage.pairs(new long[] {4, 3, 1, 2}, new boolean[4], 3)))
        .containsExactly("1-2", "1-3", "2-3", "1-4", "3-4");
  }

  @Test
  void pairsOfTwoPriorMembersAreLeftOut() {
    boolean[] prior = {true, false, true};
    assertThat(asText(CandidateSparkStage.pairs(new long[] {1, 2, 3}, prior, 5)))
        .containsExactly("1-2", "2-3");
  }

  @Test
  void membersSharingAVertexGiveASelfPairForTheCollisionCheck() {
    assertThat(asText(CandidateSparkStage.pairs(new long[] {-5, 7, -5}, new boolean[3], 5)))
        .containsExactly("-5--5", "-5-7", "-5-7");
  }
}
