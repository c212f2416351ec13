package io.gristmill.curation.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskCategoriesTest {
  @Test
  void twelveLabelsAndForms() {
    assertEquals(12, TaskCategories.LABELS.size());
    assertEquals(
        "Coding & Debugging", TaskCategories.canonical("coding and debugging").orElseThrow());
    assertEquals("Role playing", TaskCategories.canonical("Role-Playing").orElseThrow());
    assertTrue(TaskCategories.canonical("Cooking").isEmpty());
  }

  @Test
  void metricsAndMajorityBaseline() {
    List<String[]> pairs =
        List.of(
            new String[] {"Math", "Math"},
            new String[] {"Math", "Math"},
            new String[] {"Math", "Coding & Debugging"},
            new String[] {"Coding & Debugging", "Coding & Debugging"});
    ClassifierMetrics m = ClassifierMetrics.of(pairs, "Math");
    assertEquals(0.75, m.accuracy(), 1e-12);
    // F1(Math) = 2*1*(2/3)/(1+2/3) = 0.8; F1(Coding) = 2*0.5*1/1.5 = 2/3.
    assertEquals((0.8 + 2.0 / 3.0) / 2, m.macroF1(), 1e-12);
    assertEquals(0.75, m.majorityAccuracy(), 1e-12);
    // Majority: F1(Math) = 2*0.75*1/1.75, F1(Coding) = 0.
    assertEquals((2 * 0.75 / 1.75) / 2, m.majorityMacroF1(), 1e-12);
    assertEquals(1, m.confusion()[1][0], "Math predicted as Coding");
  }

  @Test
  void holdoutTakesWholeGroupsAndKeepsOneInTraining() {
    var groups =
        new java.util.TreeMap<String, java.util.Map<String, Long>>(
            java.util.Map.of(
                "Math", java.util.Map.of("gsm8k", 100L),
                "Editing",
                    java.util.Map.of(
                        "t0:samsum", 50L, "t0:gigaword", 50L, "t0:paws", 50L, "t0:mrpc", 50L)));
    var test = TaskClassifier.holdout(groups, 0.25, 17);
    assertTrue(!test.contains("gsm8k"), "a label's only group stays in training");
    long held = test.stream().filter(g -> g.startsWith("t0:")).count();
    assertEquals(1, held, "25% of 200 Editing rows is one 50-row group: " + test);
  }

  @Test
  void holdoutNeverTakesAGroupLargerThanTheShare() {
    var groups =
        new java.util.TreeMap<String, java.util.Map<String, Long>>(
            java.util.Map.of(
                "Role playing",
                java.util.Map.of(
                    "gpteacher:Roleplay",
                    400L,
                    "mt_bench:roleplay",
                    10L,
                    "vicuna:roleplay",
                    10L,
                    "arena:RPG",
                    10L)));
    for (long seed = 0; seed < 20; seed++) {
      var test = TaskClassifier.holdout(groups, 0.25, seed);
      assertTrue(!test.contains("gpteacher:Roleplay"), "seed " + seed + ": " + test);
      assertEquals(3, test.size(), "the three small groups fit in 25% of 430 rows");
    }
  }
}
