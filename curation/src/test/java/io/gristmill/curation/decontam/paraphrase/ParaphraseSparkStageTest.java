package io.gristmill.curation.decontam.paraphrase;

import static io.gristmill.curation.decontam.paraphrase.ParaphraseFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Conversation;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.curation.decontam.DecontaminationConfig;
import io.gristmill.curation.decontam.DecontaminationResult;
import io.gristmill.curation.decontam.DecontaminationSparkStage;
import io.gristmill.curation.decontam.NgramIndex;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The decontamination stage with paraphrase matching on: planted rephrasings vs hard negatives. */
class ParaphraseSparkStageTest extends SparkTestBase {
  private static final ParaphraseConfig PARA = CONFIG;

  private static Dataset<Row> corpus() {
    List<Conversation> cs = conversations();
    return spark.createDataFrame(
        cs.stream().map(SparkSchemas::toRow).toList(), SparkSchemas.CONVERSATION);
  }

  private static DecontaminationResult run(String policy) {
    DecontaminationConfig cfg =
        new DecontaminationConfig(null, 25, policy, null, List.of(), null, null, PARA);
    var items = ParaphraseFixtures.items();
    return DecontaminationSparkStage.run(
        corpus(), cfg, NgramIndex.build(items, 25, 10), ParaphraseIndex.build(items, PARA));
  }

  @Test
  void plantedRephrasingsAreRejectedWithTheirItemAndHardNegativesKept() {
    DecontaminationResult r = run("remove");
    assertThat(r.kept().select("id").as(Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder(
            "n-math-numbers", "n-math-question", "n-code", "n-choice", "clean");
    Map<String, String> dupOf = new java.util.HashMap<>();
    Map<String, String> reason = new java.util.HashMap<>();
    for (Row x : r.rejected().collectAsList()) {
      dupOf.put(x.getAs("id"), x.getAs("duplicate_of"));
      reason.put(x.getAs("id"), x.getAs("reason"));
    }
    assertThat(dupOf)
        .containsEntry("p-math", "gsm:m1")
        .containsEntry("p-code", "he:c1")
        .containsEntry("p-choice", "mc:q1")
        .containsEntry("v-math", "gsm:m1");
    assertThat(reason)
        .containsEntry("p-math", "paraphrased")
        .containsEntry("v-math", "contaminated");
    assertThat(r.report().rejected()).isEqualTo(Map.of("contaminated", 1L, "paraphrased", 3L));
    assertThat(r.perKind())
        .containsEntry("gsm/paraphrase", 1L)
        .containsEntry("gsm/verbatim", 1L)
        .containsEntry("he/paraphrase", 1L)
        .containsEntry("mc/paraphrase", 1L);
  }

  @Test
  void flagPolicyRecordsKindScoreAndSignals() {
    DecontaminationResult r = run("flag");
    assertThat(r.rejected().count()).isZero();
    Row p = r.kept().where("id = 'p-math'").first();
    List<Row> m = p.getList(p.fieldIndex(DecontaminationSparkStage.COLUMN));
    assertThat(m).hasSize(1);
    assertThat(m.get(0).<String>getAs("item")).isEqualTo("m1");
    assertThat(m.get(0).<String>getAs("kind")).isEqualTo("paraphrase");
    assertThat(m.get(0).<Double>getAs("overlap")).isGreaterThan(0.35);
    assertThat(m.get(0).<scala.collection.Seq<String>>getAs("signals").mkString(","))
        .contains("numbers")
        .contains("asked");
    Row v = r.kept().where("id = 'v-math'").first();
    List<Row> vm = v.getList(v.fieldIndex(DecontaminationSparkStage.COLUMN));
    assertThat(vm).extracting(x -> x.<String>getAs("kind")).containsExactly("verbatim");
  }
}
