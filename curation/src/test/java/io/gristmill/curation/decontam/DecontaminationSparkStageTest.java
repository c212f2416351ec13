package io.gristmill.curation.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DecontaminationSparkStageTest extends SparkTestBase {
  private static Dataset<Row> corpus() {
    List<Conversation> cs =
        List.of(
            new Conversation(
                "leak-a1",
                "web",
                List.of(
                    Message.user(
                        "A farmer has seventeen sheep and all but nine run away into the hills"
                            + " near the old river bridge. How many sheep are left on the farm"
                            + " now?"),
                    Message.assistant("Nine")),
                "o1",
                "{}"),
            new Conversation(
                "leak-c1",
                "web",
                List.of(
                    Message.user("Help me write a blog post."),
                    Message.assistant(
                        "Sure. Compose an engaging travel blog post about a recent trip to Hawaii,"
                            + " highlighting cultural experiences.")),
                null,
                "{}"),
            new Conversation(
                "clean",
                "web",
                List.of(Message.user("What is the capital of France?"), Message.assistant("Paris")),
                null,
                "{}"));
    return spark.createDataFrame(
        cs.stream().map(SparkSchemas::toRow).toList(), SparkSchemas.CONVERSATION);
  }

  @Test
  void removePolicyRejectsWithBenchmarkAndItem() {
    DecontaminationResult r =
        DecontaminationSparkStage.run(corpus(), DecontamFixtures.config("remove"));
    assertThat(r.kept().select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactly("clean");
    assertThat(r.kept().columns()).containsExactly(SparkSchemas.CONVERSATION.fieldNames());
    Row a = r.rejected().where("id = 'leak-a1'").first();
    assertThat(a.getString(a.fieldIndex("reason"))).isEqualTo("contaminated");
    assertThat(a.getString(a.fieldIndex("duplicate_of"))).isEqualTo("bench_a:A1");
    assertThat(a.getDouble(a.fieldIndex("similarity"))).isEqualTo(1.0);
    Row c = r.rejected().where("id = 'leak-c1'").first();
    assertThat(c.getString(c.fieldIndex("duplicate_of"))).isEqualTo("bench_c:C1");
    assertThat(r.perBenchmark()).isEqualTo(Map.of("bench_a", 1L, "bench_c", 1L));
    assertThat(r.report().rejected()).isEqualTo(Map.of("contaminated", 2L));
    assertThat(r.unindexedItems()).isEqualTo(Map.of("bench_a", 1));
  }

  @Test
  void flagPolicyKeepsEveryRowWithAColumn() {
    DecontaminationResult r =
        DecontaminationSparkStage.run(corpus(), DecontamFixtures.config("flag"));
    assertThat(r.rejected().count()).isZero();
    assertThat(r.report().kept()).isEqualTo(3);
    Row a = r.kept().where("id = 'leak-a1'").first();
    List<Row> m = a.getList(a.fieldIndex(DecontaminationSparkStage.COLUMN));
    assertThat(m).singleElement().satisfies(x -> assertThat(x.getString(1)).isEqualTo("A1"));
    Row clean = r.kept().where("id = 'clean'").first();
    assertThat(clean.getList(clean.fieldIndex(DecontaminationSparkStage.COLUMN))).isEmpty();
  }

  @Test
  void assistantTurnsAreSkippedWhenOnlyUserTurnsAreChecked() {
    DecontaminationConfig userOnly =
        new DecontaminationConfig(null, 8, null, "user", DecontamFixtures.specs(), 1, null);
    DecontaminationResult r = DecontaminationSparkStage.run(corpus(), userOnly);
    assertThat(r.perBenchmark()).isEqualTo(Map.of("bench_a", 1L));
  }

  /** Regression: a contaminated row's rejected row had file null and line 0. */
  @Test
  void theStageRejectsWithTheRowsLineageAndReportsPerBenchmark() {
    Dataset<Row> withLineage =
        corpus()
            .withColumn("file", org.apache.spark.sql.functions.col("id"))
            .withColumn("line", org.apache.spark.sql.functions.lit(7L));
    DecontaminationSparkStage stage =
        new DecontaminationSparkStage(DecontamFixtures.config("remove"));
    assertThat(stage.name()).isEqualTo("decontamination");
    io.gristmill.core.stage.StageOutput out =
        stage.apply(withLineage, io.gristmill.core.stage.StageContext.of(spark, null));
    Row a = out.rejected().where("id = 'leak-a1'").first();
    assertThat(a.<String>getAs("file")).isEqualTo("leak-a1");
    assertThat(a.<Long>getAs("line")).isEqualTo(7L);
    assertThat(a.<String>getAs("stage")).isEqualTo("decontamination");
    assertThat(out.report().rejected()).isEqualTo(Map.of("contaminated", 2L));
    assertThat(out.details())
        .singleElement()
        .asString()
        .startsWith("decontamination (8-grams, policy remove):")
        .contains("contaminated rows per benchmark {bench_a=1, bench_c=1}");
  }
}
