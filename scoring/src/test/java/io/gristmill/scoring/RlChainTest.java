package io.gristmill.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import io.gristmill.rollout.spark.RolloutConfig;
import io.gristmill.rollout.spark.RolloutJob;
import io.gristmill.scoring.value.SelectionReport;
import io.gristmill.scoring.value.ValueModelConfig;
import io.gristmill.scoring.value.ValueModelJob;
import io.gristmill.scoring.value.ValueModelReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RL chain from each command's own output, with the project-generated tiny checkpoint: a
 * curated prompt set rolls out with its ids and answers, the rollout snapshot scores with no other
 * file, the value model trains on a score snapshot and selects from a curated pool, and the
 * selection rolls out with its answers.
 */
class RlChainTest extends SparkTestBase {
  @TempDir static Path shared;
  @TempDir Path dir;
  private static Path model;

  @BeforeAll
  static void writeModel() {
    model = shared.resolve("model");
    TinyCheckpointWriter.write(model, TinyCheckpointSpec.tiny());
  }

  private static RolloutConfig rollout(String prompts) {
    return new RolloutConfig(
        model.toString(),
        prompts,
        null,
        null,
        null,
        "rollouts",
        null,
        true,
        "auto",
        1,
        2,
        GenerationParams.defaults().withMaxNewTokens(5).withNumSamples(3).withSeed(5));
  }

  private static ScoreConfig score(String input) {
    return ConfigLoader.fromString(
        "input: {path: '" + input + "'}\nrewards: {default: {type: math}}\n",
        "score.yaml",
        ScoreConfig.class,
        List.of());
  }

  private static List<Conversation> pool(int n) {
    List<Conversation> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          SnapshotFixtures.promptRow(
              String.format("%032x", i + 1),
              "Question " + i + ": add " + i + " and " + (i % 7) + " " + "carefully ".repeat(i % 5),
              Integer.toString(i + i % 7),
              i % 2 == 0 ? "gsm8k" : "math"));
    }
    return out;
  }

  @Test
  void curatedPromptsRollOutAndScoreWithNoOtherFile() {
    String curated =
        SnapshotFixtures.publish(
            spark,
            dir,
            "gsm",
            "curate",
            DatasetKind.PROMPT_SET,
            SnapshotFixtures.conversations(spark, pool(3)),
            "id");
    RolloutJob.Result r = RolloutJob.run(spark, rollout(curated), dir.resolve("out").toString());
    assertThat(r.manifest().properties()).containsEntry("requested_device", "auto");
    String rollouts = dir.resolve("out").resolve("rollouts").toString();

    ScoreSummary s = ScoreJob.run(spark, score(rollouts), dir.resolve("out").toString());
    assertThat(s.stages().get(0).rejected()).isEmpty();
    assertThat(s.stages().get(1).rejected()).isEmpty();
    List<Row> scored =
        spark
            .read()
            .parquet(s.snapshotDir() + "/data")
            .orderBy("prompt_id", "sample_index")
            .collectAsList();
    List<Row> rolled =
        spark
            .read()
            .parquet(r.snapshotDir() + "/data")
            .orderBy("prompt_id", "sample_index")
            .collectAsList();
    assertThat(scored).hasSize(9).hasSameSizeAs(rolled);
    Map<String, String> answers = new HashMap<>();
    pool(3).forEach(c -> answers.put(c.id(), c.groundTruth()));
    for (int i = 0; i < scored.size(); i++) {
      Row a = scored.get(i);
      Row b = rolled.get(i);
      assertThat(a.<String>getAs("prompt_id")).isEqualTo(b.getAs("prompt_id")).hasSize(32);
      assertThat(a.<String>getAs("ground_truth")).isEqualTo(answers.get(a.getAs("prompt_id")));
      assertThat(a.<String>getAs("data_source")).isEqualTo(b.getAs("data_source")).isNotNull();
      assertThat(a.getList(a.fieldIndex("prompt_token_ids")))
          .isNotEmpty()
          .isEqualTo(b.getList(b.fieldIndex("prompt_token_ids")));
      assertThat(a.getList(a.fieldIndex("response_logprobs")))
          .isEqualTo(b.getList(b.fieldIndex("response_logprobs")));
      assertThat(a.<String>getAs("response")).isEqualTo(b.getAs("text"));
      assertThat(a.<Double>getAs("reward")).isBetween(-10.0, 10.0);
      assertThat(a.<Double>getAs("advantage")).isEqualTo(a.getAs("grpo_advantage"));
    }
  }

  /** 40 prompts whose 4 samples are correct i % 5 times (pass rates 0, .25, ..., 1). */
  private String scoredSnapshot() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int correct = Math.min(4, i % 5);
      for (int s = 0; s < 4; s++) {
        rows.add(
            SnapshotFixtures.rolloutRow(
                String.format("%032x", 1000 + i),
                s,
                "gsm8k",
                "7",
                "Question " + i + ": " + "carefully ".repeat(i % 5),
                s < correct ? "#### 7" : "#### 8",
                List.of(1),
                List.of(2),
                List.of(-1f)));
      }
    }
    SnapshotFixtures.publish(
        spark,
        dir,
        "synthetic",
        "rollout",
        DatasetKind.ROLLOUT,
        SnapshotFixtures.rollouts(spark, rows),
        "prompt_id");
    ScoreJob.run(
        spark,
        ConfigLoader.fromString(
            "dataset: scored\ninput: {path: '"
                + dir.resolve("synthetic")
                + "'}\nrewards: {default: {type: math}}\n",
            "score.yaml",
            ScoreConfig.class,
            List.of()),
        dir.resolve("out").toString());
    return dir.resolve("out").resolve("scored").toString();
  }

  private ValueModelConfig valueModel(String train, String pool) {
    return ConfigLoader.fromString(
        "model_path: '"
            + dir.resolve("vm")
            + "'\ntrain: {path: '"
            + train
            + "'}\npool: {path: '"
            + pool
            + "'}\nmodel: {num_features: 64, max_iter: 5}\ncalibration_fraction: 0\nm: 5\n",
        "vm.yaml",
        ValueModelConfig.class,
        List.of());
  }

  @Test
  void valueModelTrainsOnAScoreSnapshotSelectsFromACuratedPoolAndTheSelectionRollsOut() {
    String scored = scoredSnapshot();
    List<Conversation> poolRows = new ArrayList<>(pool(12));
    poolRows.add(
        new Conversation(
            "ffffffffffffffffffffffffffffffff",
            "gsm8k",
            List.of(Message.assistant("no user turn")),
            null,
            "{}",
            "gsm8k",
            "1",
            "gsm8k.jsonl",
            9));
    String pool =
        SnapshotFixtures.publish(
            spark,
            dir,
            "pool",
            "curate",
            DatasetKind.PROMPT_SET,
            SnapshotFixtures.conversations(spark, poolRows),
            "id");
    ValueModelConfig cfg = valueModel(scored, pool);
    ValueModelJob.checkInput(cfg, "train", new Configuration());
    ValueModelReport trained = ValueModelJob.train(spark, cfg);
    assertThat(trained.trainRows() + trained.heldOut().rows()).isEqualTo(40);

    SelectionReport sel = ValueModelJob.select(spark, cfg, dir.resolve("out").toString());
    assertThat(sel.poolRows()).isEqualTo(12);
    assertThat(sel.selected()).isEqualTo(5);
    assertThat(sel.snapshotDir()).startsWith(dir.resolve("out").resolve("selection").toString());
    SnapshotRef ref =
        SnapshotRef.resolve(
            dir.resolve("out").resolve("selection").toString(), new Configuration());
    assertThat(ref.kind()).isEqualTo(DatasetKind.SELECTION);
    SnapshotManifest m = ref.manifest();
    assertThat(m.job()).isEqualTo("value-model select");
    assertThat(m.stages().get(0).rejected())
        .containsEntry("no_prompt_text", 1L)
        .containsEntry("not_selected", 7L);
    assertThat(m.inputs().get(0).rowsRead()).isEqualTo(13);
    assertThat(m.inputs().get(0).rowsKept()).isEqualTo(5);
    List<Row> picked = spark.read().parquet(ref.dataPath().toString()).collectAsList();
    assertThat(DatasetKind.SELECTION.missingFrom(picked.get(0).schema())).isEmpty();
    Map<String, Conversation> byId = new HashMap<>();
    poolRows.forEach(c -> byId.put(c.id(), c));
    assertThat(picked)
        .hasSize(5)
        .allSatisfy(
            p -> {
              Conversation c = byId.get(p.<String>getAs("id"));
              assertThat(p.<String>getAs("ground_truth")).isEqualTo(c.groundTruth());
              assertThat(p.<String>getAs("data_source")).isEqualTo(c.dataSource());
              assertThat(p.getList(p.fieldIndex("messages"))).hasSize(2);
              assertThat(p.<Double>getAs("predicted_pass_rate")).isBetween(0.0, 1.0);
            });
    Row rejected = spark.read().parquet(ref.snapshotDir() + "/rejected").first();
    assertThat(rejected.<String>getAs("reason")).isEqualTo("no_prompt_text");
    assertThat(rejected.<String>getAs("id")).isEqualTo("ffffffffffffffffffffffffffffffff");

    RolloutJob.Result again =
        RolloutJob.run(
            spark,
            rollout(dir.resolve("out").resolve("selection").toString()),
            dir.resolve("r2").toString());
    List<Row> rolled = spark.read().parquet(again.snapshotDir() + "/data").collectAsList();
    assertThat(rolled).hasSize(15);
    assertThat(rolled)
        .allSatisfy(
            r ->
                assertThat(r.<String>getAs("ground_truth"))
                    .isEqualTo(byId.get(r.<String>getAs("prompt_id")).groundTruth()));
  }

  @Test
  void valueModelInputsOfTheWrongKindFailBeforeSparkNamingTheProducer() {
    String curated =
        SnapshotFixtures.publish(
            spark,
            dir,
            "gsm",
            "curate",
            DatasetKind.PROMPT_SET,
            SnapshotFixtures.conversations(spark, pool(2)),
            "id");
    assertThatThrownBy(
            () ->
                ValueModelJob.checkInput(
                    valueModel(curated, curated), "train", new Configuration()))
        .isInstanceOfSatisfying(
            GristmillException.class, e -> assertThat(e.kind().exitCode()).isEqualTo(2))
        .hasMessage(
            "Cannot run value-model train on "
                + curated
                + ": it holds a 'prompt_set' dataset (written by gristmill curate), and value-model"
                + " train needs a 'scored_rollout' dataset. Produce one with gristmill score and"
                + " point at its dataset folder or snapshot.");
    // a pool of rollouts: select needs curated prompts
    String rollouts =
        SnapshotFixtures.publish(
            spark,
            dir,
            "rolled",
            "rollout",
            DatasetKind.ROLLOUT,
            SnapshotFixtures.rollouts(
                spark,
                List.of(
                    SnapshotFixtures.rolloutRow(
                        "a", 0, "g", "1", "q", "t", List.of(1), List.of(2), List.of(-1f)))),
            "prompt_id");
    java.nio.file.Path fakeModel = dir.resolve("vm").resolve("metadata");
    fakeModel.toFile().mkdirs();
    assertThatThrownBy(
            () ->
                ValueModelJob.checkInput(
                    valueModel(curated, rollouts), "select", new Configuration()))
        .isInstanceOfSatisfying(
            GristmillException.class, e -> assertThat(e.kind().exitCode()).isEqualTo(2))
        .hasMessageContaining("it holds a 'rollout' dataset (written by gristmill rollout)")
        .hasMessageContaining("needs a 'conversation' or 'prompt_set' dataset")
        .hasMessageContaining("Produce one with gristmill curate");
  }
}
