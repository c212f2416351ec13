package io.gristmill.curation.dedup.exact;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.StageReport;
import io.gristmill.core.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ExactDedupSparkStageTest extends SparkTestBase {
  private static Conversation conv(String id, String source, String q, String a) {
    return new Conversation(
        id, source, List.of(Message.user(q), Message.assistant(a)), "orig-" + id, "{}");
  }

  private static Dataset<Row> frame(List<Conversation> cs) {
    List<Row> rows = new ArrayList<>();
    cs.forEach(c -> rows.add(SparkSchemas.toRow(c)));
    return spark.createDataFrame(rows, SparkSchemas.CONVERSATION).repartition(3);
  }

  private static final List<Conversation> DATA =
      List.of(
          conv("b1", "web", "What is 2+2?", "4"),
          conv("a1", "books", "what is 2+2? ", "4"),
          conv("c1", "web", "What is 2+2?", "Four."),
          conv("d1", "forum", "Hello", "Hi"),
          conv("e1", "forum", "Bye", "Bye"));

  @Test
  void dropsExactThenPromptDuplicatesKeepingThePrioritySource() {
    DedupResult r =
        ExactDedupSparkStage.run(
            frame(DATA), new ExactDedupConfig(null, null, List.of("web", "books")));
    assertThat(r.kept().collectAsList())
        .extracting(row -> row.<String>getAs("id"))
        .containsExactlyInAnyOrder("b1", "d1", "e1");
    Map<String, Row> rejected = new TreeMap<>();
    r.rejected().collectAsList().forEach(row -> rejected.put(row.getAs("id"), row));
    assertThat(rejected).containsOnlyKeys("a1", "c1");
    Row a1 = rejected.get("a1");
    assertThat(a1.<String>getAs("reason")).isEqualTo("exact_duplicate");
    assertThat(a1.<String>getAs("stage")).isEqualTo("exact_dedup");
    assertThat(a1.<String>getAs("duplicate_of")).isEqualTo("b1");
    assertThat(a1.<String>getAs("duplicate_of_original_id")).isEqualTo("orig-b1");
    assertThat(SparkSchemas.fromRow(a1).messages().get(0).content()).isEqualTo("what is 2+2? ");
    Row c1 = rejected.get("c1");
    assertThat(c1.<String>getAs("reason")).isEqualTo("prompt_duplicate");
    assertThat(c1.<String>getAs("stage")).isEqualTo("prompt_dedup");
    assertThat(c1.<String>getAs("duplicate_of")).isEqualTo("b1");
    assertThat(r.reports())
        .extracting(StageReport::stage, StageReport::rowsIn, StageReport::kept)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("exact_dedup", 5L, 4L),
            org.assertj.core.groups.Tuple.tuple("prompt_dedup", 4L, 3L));
  }

  @Test
  void withoutPriorityTheSmallestIdWinsAndLevelsCanBeSwitchedOff() {
    DedupResult r = ExactDedupSparkStage.run(frame(DATA), new ExactDedupConfig(true, false, null));
    assertThat(r.kept().collectAsList())
        .extracting(row -> row.<String>getAs("id"))
        .containsExactlyInAnyOrder("a1", "c1", "d1", "e1");
    assertThat(r.rejected().first().<String>getAs("duplicate_of")).isEqualTo("a1");
    assertThat(r.reports()).hasSize(1);

    DedupResult none =
        ExactDedupSparkStage.run(frame(DATA), new ExactDedupConfig(false, false, null));
    assertThat(none.kept().count()).isEqualTo(5);
    assertThat(none.rejected().count()).isZero();
    assertThat(none.rejected().schema()).isEqualTo(SparkSchemas.REJECTED);
  }

  @Test
  void priorRowsAlwaysWinAndAreNeverOutputAgain() {
    // The prior snapshot kept z9 (same prompt as the new rows, id sorts last) and d1.
    Dataset<Row> prior =
        frame(List.of(conv("z9", "old", "WHAT IS 2+2?", "4"), conv("d1", "forum", "Hello", "Hi")));
    DedupResult r =
        ExactDedupSparkStage.run(frame(DATA), new ExactDedupConfig(true, true, null), prior);
    assertThat(r.kept().collectAsList())
        .extracting(row -> row.<String>getAs("id"))
        .containsExactly("e1");
    Map<String, Row> rejected = new TreeMap<>();
    r.rejected().collectAsList().forEach(row -> rejected.put(row.getAs("id"), row));
    assertThat(rejected.keySet()).containsExactly("a1", "b1", "c1", "d1");
    assertThat(rejected.get("a1").<String>getAs("duplicate_of")).isEqualTo("z9");
    assertThat(rejected.get("a1").<String>getAs("reason")).isEqualTo("exact_duplicate");
    assertThat(rejected.get("c1").<String>getAs("reason")).isEqualTo("prompt_duplicate");
    assertThat(rejected.get("d1").<String>getAs("duplicate_of_original_id")).isEqualTo("orig-d1");
    assertThat(r.reports())
        .extracting(StageReport::rowsIn, StageReport::kept)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(5L, 2L),
            org.assertj.core.groups.Tuple.tuple(2L, 1L));
  }

  /**
   * Regression: a duplicate's rejected row carried the kept row's id and no lineage (file null,
   * line 0). It carries its own id, file and line; duplicate_of names the kept row.
   */
  @Test
  void rejectedRowsAreTheDuplicateItselfWithItsLineage() {
    List<Conversation> cs = new ArrayList<>();
    for (int i = 0; i < DATA.size(); i++) {
      cs.add(DATA.get(i).withLineage("file:/in/" + DATA.get(i).id() + ".jsonl", 10L + i));
    }
    List<io.gristmill.core.stage.Stage> stages =
        ExactDedupSparkStage.stages(new ExactDedupConfig(null, null, List.of("web", "books")));
    assertThat(stages)
        .extracting(io.gristmill.core.stage.Stage::name)
        .containsExactly("exact_dedup", "prompt_dedup");
    io.gristmill.core.stage.StageContext ctx = io.gristmill.core.stage.StageContext.of(spark, null);
    io.gristmill.core.stage.StageOutput conv = stages.get(0).apply(frame(cs), ctx);
    io.gristmill.core.stage.StageOutput prompt = stages.get(1).apply(conv.kept(), ctx);
    Row a1 = conv.rejected().collectAsList().get(0);
    assertThat(conv.rejected().count()).isEqualTo(1);
    assertThat(a1.<String>getAs("id")).isEqualTo("a1");
    assertThat(a1.<String>getAs("original_id")).isEqualTo("orig-a1");
    assertThat(a1.<String>getAs("file")).isEqualTo("file:/in/a1.jsonl");
    assertThat(a1.<Long>getAs("line")).isEqualTo(11L);
    assertThat(a1.<String>getAs("duplicate_of")).isEqualTo("b1");
    assertThat(a1.<String>getAs("stage")).isEqualTo("exact_dedup");
    assertThat(conv.report().rejected()).isEqualTo(Map.of("exact_duplicate", 1L));
    Row c1 = prompt.rejected().collectAsList().get(0);
    assertThat(prompt.rejected().count()).isEqualTo(1);
    assertThat(c1.<String>getAs("id")).isEqualTo("c1");
    assertThat(c1.<String>getAs("file")).isEqualTo("file:/in/c1.jsonl");
    assertThat(c1.<Long>getAs("line")).isEqualTo(12L);
    assertThat(c1.<String>getAs("duplicate_of")).isEqualTo("b1");
    assertThat(prompt.report().stage()).isEqualTo("prompt_dedup");
    assertThat(prompt.report().rowsIn()).isEqualTo(conv.report().kept());
    // Kept rows keep their lineage too.
    for (Row k : prompt.kept().collectAsList()) {
      assertThat(k.<String>getAs("file")).isEqualTo("file:/in/" + k.getAs("id") + ".jsonl");
    }
    assertThat(ExactDedupSparkStage.stages(new ExactDedupConfig(true, false, null)))
        .extracting(io.gristmill.core.stage.Stage::name)
        .containsExactly("exact_dedup");
  }
}
