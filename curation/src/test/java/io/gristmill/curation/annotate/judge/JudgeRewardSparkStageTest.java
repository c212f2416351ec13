package io.gristmill.curation.annotate.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.gristmill.core.record.Message;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.testing.SharedData;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.curation.annotate.AnnotationColumns;
import io.gristmill.curation.annotate.reward.RewardConfig;
import io.gristmill.curation.annotate.reward.RewardCore;
import io.gristmill.curation.annotate.reward.RewardSparkStage;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.RewardModel;
import io.gristmill.rollout.checkpoint.TinyArchitectures;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both model stages on a handful of conversations with project-written random-weight checkpoints (a
 * tiny Llama as judge, whose answers are garbage, and the tiny {@code llama3-rm}).
 */
class JudgeRewardSparkStageTest extends SparkTestBase {
  private static final String TEMPLATES =
      SharedData.repoDir().resolve("conf/annotation").toString();
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("messages", SparkSchemas.MESSAGES, false);
  private static final List<List<String>> CONVS =
      List.of(
          List.of("What is 2 + 2?", "4"),
          List.of("Write a haiku about rain.", "Soft rain on the roof."),
          List.of("Fix this: print(1", "print(1)", "And in Java?", "System.out.println(1);"),
          List.of(),
          List.of("Give me three ideas for a party.", "Games, music, a quiz."),
          List.of("Translate 'cat' to French.", "chat"));

  @TempDir static Path tmp;
  static Path judge;
  static Path rm;

  @BeforeAll
  static void checkpoints() {
    judge = tmp.resolve("judge");
    // the templates are ~1000 tokens of this byte-level vocabulary: a 4096-token context
    TinyCheckpointWriter.write(
        judge,
        new TinyCheckpointSpec(
            null, null, null, null, null, null, 4096, 7L, "float32", null, null));
    rm = tmp.resolve("rm");
    TinyArchitectures.write(rm, "llama3-rm");
  }

  private static Row conv(String id, List<String> turns) {
    List<Row> ms = new ArrayList<>();
    for (int i = 0; i < turns.size(); i++) {
      ms.add(RowFactory.create(i % 2 == 0 ? "user" : "assistant", turns.get(i)));
    }
    return RowFactory.create(id, "s", scala.jdk.javaapi.CollectionConverters.asScala(ms).toSeq());
  }

  private static Dataset<Row> fixture(int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < CONVS.size(); i++) {
      rows.add(conv("c" + i, CONVS.get(i)));
    }
    return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
  }

  @Test
  void everyRowGetsALabelOrACountedReasonPerAspect() {
    JudgeConfig cfg =
        JudgeConfig.of(judge.toString())
            .withTemplates(TEMPLATES)
            .withAspects(
                List.of("input_quality", "difficulty", "task_category", "safety", "judge_score"))
            .withMaxNewTokens(12)
            .withBatchSize(8);
    StageOutput out = new JudgeSparkStage(cfg).apply(fixture(2), StageContext.of(spark, null));
    assertThat(out.report().rowsIn()).isEqualTo(CONVS.size());
    assertThat(out.report().kept()).isEqualTo(CONVS.size());
    assertThat(out.rejected().count()).isZero();
    List<Row> rows = out.kept().collectAsList();
    assertThat(rows).hasSize(CONVS.size());
    Map<String, Long> failed = new HashMap<>();
    for (Row r : rows) {
      Map<String, String> why =
          r.isNullAt(r.fieldIndex(NullReasons.COLUMN))
              ? Map.of()
              : r.getJavaMap(r.fieldIndex(NullReasons.COLUMN));
      for (JudgeAspect a : cfg.aspectList()) {
        boolean labeled = !r.isNullAt(r.fieldIndex(a.column()));
        assertThat(labeled)
            .as("%s of %s: label xor reason (%s)", a.key(), r.getString(0), why)
            .isNotEqualTo(why.containsKey(a.column()));
        if (!labeled) {
          failed.merge(a.key(), 1L, Long::sum);
        }
      }
      if (r.getString(0).equals("c3")) { // no turns: nothing to ask
        assertThat(why).containsEntry(AnnotationColumns.INPUT_QUALITY, JudgeCore.NOTHING_TO_JUDGE);
      }
    }
    // the details count the same: labeled + without a label = rows, per aspect
    for (JudgeAspect a : cfg.aspectList()) {
      long f = failed.getOrDefault(a.key(), 0L);
      assertThat(out.details())
          .anySatisfy(
              d ->
                  assertThat(d)
                      .startsWith(
                          "judge: "
                              + a.key()
                              + ": "
                              + (CONVS.size() - f)
                              + " labeled, "
                              + f
                              + " without a label"));
    }
    assertThat(out.details().get(0)).contains("on [cpu float32]").contains("requested auto");
  }

  @Test
  void aQuestionLongerThanTheContextIsNullWithItsReason() {
    Path small = tmp.resolve("small");
    TinyArchitectures.write(small, "llama3"); // 512-token context
    JudgeConfig cfg =
        JudgeConfig.of(small.toString())
            .withTemplates(TEMPLATES)
            .withAspects(List.of("input_quality"))
            .withMaxNewTokens(4);
    Dataset<Row> in =
        spark.createDataFrame(List.of(conv("long", List.of("word ".repeat(400), "ok"))), SCHEMA);
    StageOutput out = new JudgeSparkStage(cfg).apply(in, StageContext.of(spark, null));
    Row r = out.kept().collectAsList().get(0);
    assertThat(r.isNullAt(r.fieldIndex(AnnotationColumns.INPUT_QUALITY))).isTrue();
    assertThat(r.<String, String>getJavaMap(r.fieldIndex(NullReasons.COLUMN)))
        .containsEntry(AnnotationColumns.INPUT_QUALITY, JudgeCore.PROMPT_TOO_LONG);
    assertThat(out.details()).anyMatch(d -> d.contains("{prompt_too_long=1}"));
  }

  @Test
  void rewardIsTheModelsScoreOfTheSameIdsWhateverThePartitioningAndBatch() {
    Map<String, Double> expected = new HashMap<>();
    CausalLm.setThreads(1);
    try (RewardModel model = RewardModel.load(rm, Device.cpu())) {
      RewardCore core = new RewardCore(model, true);
      for (int i = 0; i < CONVS.size(); i++) {
        List<Message> ms = new ArrayList<>();
        List<String> t = CONVS.get(i);
        for (int k = 0; k < t.size(); k++) {
          ms.add(new Message(k % 2 == 0 ? "user" : "assistant", t.get(k)));
        }
        int[] ids = core.encode(ms);
        expected.put("c" + i, ids == null ? null : (double) model.score(List.of(ids))[0]);
      }
    }
    assertThat(expected.get("c3")).isNull();
    for (int[] setup : new int[][] {{1, 64}, {3, 2}}) {
      RewardConfig cfg = RewardConfig.of(rm.toString()).withBatchSize(setup[1]);
      StageOutput out =
          new RewardSparkStage(cfg).apply(fixture(setup[0]), StageContext.of(spark, null));
      assertThat(out.report().kept()).isEqualTo(CONVS.size());
      for (Row r : out.kept().collectAsList()) {
        String id = r.getString(0);
        int at = r.fieldIndex(AnnotationColumns.REWARD);
        if (expected.get(id) == null) {
          assertThat(r.isNullAt(at)).isTrue();
          assertThat(r.<String, String>getJavaMap(r.fieldIndex(NullReasons.COLUMN)))
              .containsEntry(AnnotationColumns.REWARD, RewardCore.EMPTY);
        } else {
          assertThat(r.getDouble(at)).as(id).isCloseTo(expected.get(id), within(1e-4));
        }
      }
      assertThat(out.details().get(0))
          .contains("5 scored, 1 without a reward {empty_conversation=1}");
    }
  }

  @Test
  void aSeededSampleIsJudgedAndItsLabelsTrainTheClassifierThatLabelsTheRest() {
    // 40 conversations of two sources; task_category is known (as if imported) on every other row
    // and null on the rest. The random judge labels nothing, so the sampled rows' labels that
    // survive it are the training labels; every null task_category must come from the classifier.
    StructType schema = SCHEMA.add(AnnotationColumns.TASK_CATEGORY, DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      boolean math = i % 4 < 2;
      String user =
          math
              ? "What is " + i + " plus " + (i + 3) + "? Compute the sum of the numbers."
              : "Write a poem about the sea and the moon, verse " + i + ".";
      String label = i % 2 == 0 ? (math ? "Math" : "Creative writing") : null;
      Row c = conv("r" + i, List.of(user, "ok"));
      rows.add(RowFactory.create("r" + i, i < 20 ? "a" : "b", c.get(2), label));
    }
    JudgeConfig cfg =
        JudgeConfig.of(judge.toString())
            .withTemplates(TEMPLATES)
            .withAspects(List.of("task_category", "input_quality"))
            .withMaxNewTokens(2)
            .withSample(0.5, 3L);
    Dataset<Row> in = spark.createDataFrame(rows, schema);
    long sampled = in.where(JudgeSparkStage.inSample(cfg)).count();
    assertThat(sampled).isBetween(10L, 30L);
    Map<String, Boolean> judgedBefore = null;
    for (int partitions : new int[] {1, 3}) {
      StageOutput out =
          new JudgeSparkStage(cfg).apply(in.repartition(partitions), StageContext.of(spark, null));
      assertThat(out.report().kept()).isEqualTo(40);
      assertThat(out.details()).anyMatch(d -> d.contains(": " + sampled + " judged"));
      assertThat(out.details())
          .anyMatch(d -> d.contains("from a classifier trained on") && d.contains("accuracy"));
      Map<String, Boolean> judged = new HashMap<>();
      for (Row r : out.kept().collectAsList()) {
        String id = r.getString(0);
        int n = Integer.parseInt(id.substring(1));
        Map<String, String> why =
            r.isNullAt(r.fieldIndex(NullReasons.COLUMN))
                ? Map.of()
                : r.getJavaMap(r.fieldIndex(NullReasons.COLUMN));
        String iq = why.get(AnnotationColumns.INPUT_QUALITY);
        assertThat(iq).as(id).isNotNull(); // the random judge never labels input quality
        judged.put(id, !iq.equals(JudgeSparkStage.NOT_SAMPLED));
        String tc = r.getString(r.fieldIndex(AnnotationColumns.TASK_CATEGORY));
        String expected = n % 4 < 2 ? "Math" : "Creative writing";
        assertThat(tc).as("task_category of %s", id).isEqualTo(expected);
        assertThat(why).as(id).doesNotContainKey(AnnotationColumns.TASK_CATEGORY);
        if (n % 2 == 1) { // filled by the classifier, with its confidence
          assertThat(r.getDouble(r.fieldIndex(AnnotationColumns.TASK_CATEGORY_CONFIDENCE)))
              .isGreaterThan(0.5);
        }
      }
      assertThat(judged.values().stream().filter(b -> b).count()).isEqualTo(sampled);
      if (judgedBefore != null) { // the same rows are judged whatever the partitioning
        assertThat(judged).isEqualTo(judgedBefore);
      }
      judgedBefore = judged;
    }
  }
}
