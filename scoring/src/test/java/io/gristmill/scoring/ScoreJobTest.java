package io.gristmill.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gristmill.core.GristmillException;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.testing.SharedData;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreJobTest extends SparkTestBase {
  @TempDir Path out;

  private static String fixture() throws Exception {
    return Paths.get(ScoreJobTest.class.getResource("/scoring/rollouts.jsonl").toURI()).toString();
  }

  private static ScoreConfig config(String path, String extra) {
    String yaml =
        "input: {path: '"
            + path
            + "', format: jsonl, data_source: math}\n"
            + "rewards:\n"
            + "  math: {type: math}\n"
            + "  gsm8k: {type: math}\n"
            + "  mmlu: {type: choice}\n"
            + extra;
    return ConfigLoader.fromString(yaml, "test.yaml", ScoreConfig.class, List.of());
  }

  @Test
  void scoresGroupsAndRejectsTheFixture() throws Exception {
    ScoreSummary s = ScoreJob.run(spark, config(fixture(), ""), out.toString());
    Map<String, Long> in = s.stages().get(0).rejected();
    assertThat(in)
        .containsEntry("malformed_json", 1L)
        .containsEntry("missing_field", 1L)
        .containsEntry("wrong_type", 1L)
        .containsEntry("not_an_object", 1L);
    assertThat(s.stages().get(1).rejected()).containsEntry("no_reward_function", 1L);
    assertThat(s.numbers()).containsEntry("rollouts", 8.0).containsEntry("prompts", 4.0);

    SnapshotStore store =
        new SnapshotStore(out.toString(), "scored", spark.sparkContext().hadoopConfiguration());
    assertThat(store.latest()).contains(s.snapshotId());
    List<Row> data = spark.read().parquet(store.dataDir(s.snapshotId()).toString()).collectAsList();
    Map<String, Row> byKey =
        data.stream()
            .collect(
                Collectors.toMap(
                    r -> r.getAs("prompt_id") + "#" + r.getAs("sample_index"), r -> r));
    // p1: rewards 1,0,1,0 -> mean 0.5, sample std 0.57735
    Row p10 = byKey.get("p1#0");
    assertThat(p10.<Boolean>getAs("correct")).isTrue();
    assertThat(p10.<Double>getAs("grpo_advantage"))
        .isCloseTo(0.5 / (0.5773502692 + 1e-6), within(1e-6));
    assertThat(byKey.get("p1#3").<String>getAs("verdict")).isEqualTo("no_answer");
    assertThat(byKey.get("p1#2").<String>getAs("extracted_answer")).isEqualTo("1/2");
    // p2 has no sample_index: numbered 0, 1 by line order; both correct -> all equal, DAPO flag
    assertThat(byKey.get("p2#1").<Boolean>getAs("dapo_keep")).isFalse();
    assertThat(byKey.get("p2#1").<Double>getAs("grpo_advantage")).isZero();
    // p3: a group of one
    assertThat(byKey.get("p3#0").<Integer>getAs("group_size")).isEqualTo(1);
    assertThat(byKey.get("p3#0").<Boolean>getAs("correct")).isTrue();
    // numeric prompt id 4, choice reward with index ground truth, token ids kept
    assertThat(byKey.get("4#0").<Boolean>getAs("correct")).isTrue();
    assertThat(byKey.get("4#0").getList(byKey.get("4#0").fieldIndex("response_token_ids")))
        .containsExactly(5, 6, 7);
    // logprobs kept as floats; imported rollouts without prompt tokens have null ones
    assertThat(byKey.get("4#0").getList(byKey.get("4#0").fieldIndex("response_logprobs")))
        .containsExactly(-0.1f, -0.2f, -0.3f);
    assertThat(byKey.get("4#0").<Object>getAs("prompt_token_ids")).isNull();
    // advantage is the configured variant (grpo by default), named in the manifest
    assertThat(data)
        .allSatisfy(
            r -> assertThat(r.<Double>getAs("advantage")).isEqualTo(r.getAs("grpo_advantage")));
    SnapshotManifest m = store.readManifest(s.snapshotId());
    assertThat(m.kind()).isEqualTo("scored_rollout");
    assertThat(m.properties()).containsEntry("advantage_variant", "grpo");
    assertThat(m.outputs()).containsEntry("data", 8L).containsEntry("difficulty", 4L);
    assertThat(m.inputs().get(0).bytes()).isEqualTo(Files.size(Path.of(fixture())));
    assertThat(m.inputs().get(0).sha256()).hasSize(64);
    assertThat(m.inputs().get(0).rowsRead()).isEqualTo(13);
    assertThat(m.inputs().get(0).rowsKept()).isEqualTo(8);
    assertThat(
            DatasetKind.SCORED_ROLLOUT.missingFrom(
                spark.read().parquet(store.dataDir(s.snapshotId()).toString()).schema()))
        .isEmpty();
    try (Stream<Path> files = Files.walk(Path.of(s.snapshotDir()))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .contains("part-00000.parquet")
          .noneMatch(f -> f.endsWith(".crc") || f.equals("_SUCCESS"));
    }

    List<Row> diff =
        spark
            .read()
            .parquet(store.outputDir(s.snapshotId(), "difficulty").toString())
            .orderBy("prompt_id")
            .collectAsList();
    assertThat(diff).hasSize(4);
    Row d1 = diff.stream().filter(r -> r.getAs("prompt_id").equals("p1")).findFirst().orElseThrow();
    assertThat(d1.<Double>getAs("pass_rate")).isEqualTo(0.5);
    assertThat(d1.<String>getAs("bucket")).isEqualTo("intermediate");
    assertThat(d1.<String>getAs("prompt")).isEqualTo("half?");

    List<Row> dump =
        spark
            .read()
            .parquet(store.outputDir(s.snapshotId(), "dump_weights").toString())
            .orderBy("data_source")
            .collectAsList();
    assertThat(dump).extracting(r -> r.getString(0)).containsExactly("gsm8k", "math", "mmlu");
    assertThat(dump.stream().mapToDouble(r -> r.getDouble(4)).sum()).isCloseTo(1.0, within(1e-9));

    List<Row> rejected =
        spark.read().parquet(store.rejectedDir(s.snapshotId()).toString()).collectAsList();
    assertThat(rejected).hasSize(5);
    assertThat(rejected)
        .extracting(r -> r.<String>getAs("reason"))
        .containsExactlyInAnyOrder(
            "malformed_json", "missing_field", "wrong_type", "not_an_object", "no_reward_function");
    assertThat(Files.exists(Path.of(store.snapshotDir(s.snapshotId()).toString(), "manifest.json")))
        .isTrue();
  }

  @Test
  void dapoDropMovesAllEqualGroupsToRejected() throws Exception {
    ScoreSummary s =
        ScoreJob.run(spark, config(fixture(), "advantage: {dapo: drop}\n"), out.toString());
    // all-equal groups: p2 (2 rollouts), p3 (1), 4 (1)
    assertThat(s.stages().get(2).rejected()).containsEntry("dapo_all_equal", 4L);
    assertThat(s.stages().get(2).kept()).isEqualTo(4);
    assertThat(s.numbers()).containsEntry("dapo_all_equal_groups", 3.0);
    List<Row> rejected = spark.read().parquet(s.snapshotDir() + "/rejected").collectAsList();
    assertThat(rejected)
        .filteredOn(r -> r.<String>getAs("stage").equals("group_stats"))
        .hasSize(4)
        .extracting(r -> r.<String>getAs("reason"))
        .containsOnly("dapo_all_equal");
  }

  @Test
  void drGrpoVariantFillsAdvantageAndTheManifestSaysSo() throws Exception {
    ScoreSummary s =
        ScoreJob.run(spark, config(fixture(), "advantage: {variant: dr_grpo}\n"), out.toString());
    List<Row> data = spark.read().parquet(s.snapshotDir() + "/data").collectAsList();
    assertThat(data)
        .allSatisfy(
            r -> assertThat(r.<Double>getAs("advantage")).isEqualTo(r.getAs("dr_grpo_advantage")));
    Row p10 =
        data.stream()
            .filter(r -> r.getAs("prompt_id").equals("p1") && r.<Integer>getAs("sample_index") == 0)
            .findFirst()
            .orElseThrow();
    assertThat(p10.<Double>getAs("advantage")).isCloseTo(0.5, within(1e-12));
    SnapshotStore store =
        new SnapshotStore(out.toString(), "scored", spark.sparkContext().hadoopConfiguration());
    assertThat(store.readManifest(s.snapshotId()).properties())
        .containsEntry("advantage_variant", "dr_grpo");
  }

  @Test
  void aGlobThatMatchesNothingFailsBeforeSpark() {
    ScoreConfig cfg = config(out.resolve("none-*.jsonl").toString(), "");
    assertThatThrownBy(() -> ScoreJob.checkInput(cfg, new org.apache.hadoop.conf.Configuration()))
        .isInstanceOfSatisfying(
            GristmillException.class, e -> assertThat(e.kind().exitCode()).isEqualTo(3))
        .hasMessageContaining("no file matches '" + out.resolve("none-*.jsonl") + "'");
  }

  @Test
  void gsm8kExampleSolutionsScoreWithTheShippedConfig() {
    Path file = SharedData.require("rl_prompts/gsm8k/example_model_solutions.jsonl");
    Path conf = SharedData.repoDir().resolve("conf/scoring-gsm8k.yaml");
    ScoreConfig cfg = ScoreConfig.load(conf, List.of("input.path=" + file));
    ScoreSummary s = ScoreJob.run(spark, cfg, out.toString());
    System.out.println(s.numbers());
    assertThat(s.numbers()).containsEntry("rollouts", 5276.0).containsEntry("prompts", 1319.0);
    assertThat(s.numbers().get("label_agreement")).isGreaterThanOrEqualTo(0.99);
    assertThat(s.numbers().get("accuracy")).isCloseTo(2001 / 5276.0, within(0.01));
  }
}
