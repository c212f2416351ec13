package io.gristmill.curation.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.testing.SharedData;
import io.gristmill.curation.decontam.BenchmarkItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Paraphrase matching measured on ../shared/data (skipped where absent), without Spark, with the
 * default settings: LMSYS rephrasings (tuning half = even rows, held-out = odd rows), verbatim
 * items, clean HH-RLHF / GPTeacher-Roleplay conversations, GSM-Hard and the hand-written hard
 * negatives. The floors asserted are a little under what was measured (see
 * docs/decisions/paraphrase-decontamination.md), so a regression fails.
 */
class SharedDataParaphraseTest {
  @Test
  void recallOnRephrasingsAndFalsePositivesOnCleanAndHardNegatives() throws IOException {
    SharedData.require("dedup_ground_truth/llm_decontaminator/rephrase");
    SharedData.require("benchmarks/mmlu/test");
    Path data = SharedData.sharedDir().resolve("data");
    List<BenchmarkItem> items = ParaphraseEval.items(data);
    ParaphraseConfig cfg = ParaphraseConfig.defaults();
    ParaphraseMatcher m = new ParaphraseMatcher(ParaphraseIndex.build(items, cfg), cfg);
    List<ParaphraseEval.Case> reph = ParaphraseEval.rephrasings(data);
    var gsmHeld =
        ParaphraseEval.recall(ParaphraseEval.of(m), reph, "gsm8k", c -> c.index() % 2 == 1);
    var heHeld =
        ParaphraseEval.recall(ParaphraseEval.of(m), reph, "humaneval", c -> c.index() % 2 == 1);
    var mmluHeld =
        ParaphraseEval.recall(ParaphraseEval.of(m), reph, "mmlu", c -> c.index() % 2 == 1);
    var verbatim = ParaphraseEval.verbatim(items);
    var vGsm = ParaphraseEval.recall(ParaphraseEval.of(m), verbatim, "verbatim-gsm8k", c -> true);
    var vHe =
        ParaphraseEval.recall(ParaphraseEval.of(m), verbatim, "verbatim-humaneval", c -> true);
    var hard =
        ParaphraseEval.flagged(ParaphraseEval.of(m), ParaphraseEval.gsmHard(data), "gsm-hard");
    var hand =
        ParaphraseEval.flagged(ParaphraseEval.of(m), ParaphraseEval.handWritten(), "hand-written");
    var clean = ParaphraseEval.cleanFlagged(ParaphraseEval.of(m), ParaphraseEval.clean(data));
    System.out.printf(
        "paraphrase decontamination, held-out half: %s, %s, %s; %s, %s; false positives: %s, %s,"
            + " %s%n",
        gsmHeld, heHeld, mmluHeld, vGsm, vHe, clean, hard, hand);
    assertThat(gsmHeld.pct()).isGreaterThanOrEqualTo(60.0);
    assertThat(heHeld.pct()).isGreaterThanOrEqualTo(50.0);
    // MMLU misses its 50% target: LMSYS's MMLU rephrasings are the question alone (no options),
    // often without the passage it refers to; this floor guards what is reached (22.5% measured).
    assertThat(mmluHeld.pct()).isGreaterThanOrEqualTo(21.0);
    assertThat(vGsm.pct()).isEqualTo(100.0);
    assertThat(vHe.pct()).isEqualTo(100.0);
    // Measured: clean 1/4,235, GSM-Hard 34/990 (3.4%), hand-written 5/53 (9.4%).
    assertThat(clean.pct()).isLessThanOrEqualTo(0.1);
    assertThat(hard.pct()).isLessThanOrEqualTo(4.0);
    assertThat(hand.pct()).isLessThanOrEqualTo(10.0);
  }
}
