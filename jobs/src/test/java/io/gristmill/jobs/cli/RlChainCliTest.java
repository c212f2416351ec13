package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.testing.NodeReaders;
import io.gristmill.core.testing.SharedData;
import io.gristmill.jobs.testing.ManifestSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole RL chain through the CLI, as a user runs it with the configs of {@code
 * conf/pipelines/rl-math/}: curate (a GSM8K + MATH-500 subset) -> rollout (stories260K) -> score ->
 * value-model train -> select -> rollout -> score -> export shards-rl and verl. Each step reads
 * only the previous step's dataset folder. Arrow JS reads the shards, DuckDB the verl parquet.
 */
class RlChainCliTest {
  private static final Path REPO = SharedData.repoDir();
  private static final Path CONF = REPO.resolve("conf/pipelines/rl-math");

  private static String[] cmd(Path out, String command, String... rest) {
    List<String> a = new ArrayList<>(List.of(command.split(" ")));
    a.addAll(List.of(rest));
    a.addAll(List.of("--master", "local[2]", "--output", out.toString()));
    return a.toArray(String[]::new);
  }

  private static Path latest(Path dataset) throws Exception {
    String id = Files.readString(dataset.resolve("LATEST")).trim();
    return dataset.resolve("snapshots").resolve(id);
  }

  /**
   * Reads a Parquet folder with a session of its own: each CLI command starts and stops its
   * embedded Spark, which would stop a session shared with the test.
   */
  private static List<Row> rows(Path dir) {
    org.apache.spark.sql.SparkSession spark = io.gristmill.core.testing.SparkTestBase.newSession(2);
    try {
      return spark.read().parquet(dir.toString()).collectAsList();
    } finally {
      spark.stop();
    }
  }

  private static void head(Path from, Path to, int lines) throws Exception {
    try (Stream<String> s = Files.lines(from)) {
      Files.write(to, s.limit(lines).toList());
    }
  }

  @Test
  void curateRolloutScoreTrainSelectRolloutScoreExport(@TempDir Path tmp) throws Exception {
    Path gsm = SharedData.require("rl_prompts/gsm8k/test.jsonl");
    Path math500 = SharedData.require("rl_prompts/math500/test.jsonl");
    Path model = SharedData.require("models/stories260K");
    NodeReaders.require();
    Path in = Files.createDirectories(tmp.resolve("in"));
    head(gsm, in.resolve("gsm8k.jsonl"), 24);
    head(math500, in.resolve("math500.jsonl"), 12);
    Path out = tmp.resolve("out");
    String modelSet = "model=" + model;
    String small = "generation.max_new_tokens=12";

    CliRunner.run(
        cmd(
            out,
            "curate",
            "--config",
            CONF.resolve("1-curate.yaml").toString(),
            "--set",
            "sources[0].path=" + in.resolve("gsm8k.jsonl"),
            "--set",
            "sources[1].path=" + in.resolve("math500.jsonl")));
    Path prompts = out.resolve("rl-math-prompts");
    JsonNode curated = ManifestSchema.assertAccounted(latest(prompts));
    assertThat(curated.get("kind").asText()).isEqualTo("prompt_set");
    assertThat(curated.get("outputs").get("data").asLong()).isEqualTo(36);

    CliRunner.run(
        cmd(
            out,
            "rollout",
            "--config",
            CONF.resolve("2-rollout.yaml").toString(),
            "--set",
            modelSet,
            "--set",
            small,
            "--set",
            "prompts=" + prompts));
    Path rollouts = out.resolve("rl-math-rollouts");
    JsonNode rolloutManifest = ManifestSchema.assertValid(latest(rollouts));
    assertThat(rolloutManifest.get("kind").asText()).isEqualTo("rollout");
    // Prompts longer than stories260K's 512-token context are rejected with a reason, not lost.
    long rolledPrompts = rolloutManifest.get("stages").get(0).get("kept").asLong();
    assertThat(rolloutManifest.get("stages").get(0).get("rows_in").asLong()).isEqualTo(36);
    assertThat(rolledPrompts).isGreaterThanOrEqualTo(30);
    assertThat(rolloutManifest.get("outputs").get("rejected").asLong())
        .isEqualTo(36 - rolledPrompts);
    List<Row> rolled = rows(latest(rollouts).resolve("data"));
    assertThat(rolled).hasSize((int) rolledPrompts * 4);
    Map<String, String> truth = new HashMap<>();
    for (Row r : rows(latest(prompts).resolve("data"))) {
      truth.put(r.getAs("id"), r.getAs("ground_truth"));
    }
    // One id scheme: every rollout's prompt id is a curated id, and its answer came along.
    assertThat(rolled)
        .allSatisfy(
            r -> {
              assertThat(truth).containsKey(r.<String>getAs("prompt_id"));
              assertThat(r.<String>getAs("ground_truth"))
                  .isEqualTo(truth.get(r.<String>getAs("prompt_id")))
                  .isNotBlank();
            });

    CliRunner.run(
        cmd(
            out,
            "score",
            "--config",
            CONF.resolve("3-score.yaml").toString(),
            "--set",
            "input.path=" + rollouts));
    Path scored = out.resolve("rl-math-scored");
    JsonNode scoredManifest = ManifestSchema.assertValid(latest(scored));
    assertThat(scoredManifest.get("kind").asText()).isEqualTo("scored_rollout");
    assertThat(scoredManifest.get("properties").get("advantage_variant").asText())
        .isEqualTo("grpo");
    assertThat(scoredManifest.get("outputs").get("data").asLong()).isEqualTo(rolledPrompts * 4);

    String[] vm = {
      "--config",
      CONF.resolve("4-value-model.yaml").toString(),
      "--set",
      "model_path=" + tmp.resolve("vm"),
      "--set",
      "train.path=" + scored,
      "--set",
      "pool.path=" + prompts,
      "--set",
      "select_output=" + out.resolve("rl-math-selection"),
      "--set",
      "m=8"
    };
    assertThat(CliRunner.run(cmd(out, "value-model train", vm))).contains("trained on");
    assertThat(CliRunner.run(cmd(out, "value-model select", vm))).contains("selected 8 of 36");
    Path selection = out.resolve("rl-math-selection");
    assertThat(ManifestSchema.assertValid(latest(selection)).get("kind").asText())
        .isEqualTo("selection");

    CliRunner.run(
        cmd(
            out,
            "rollout",
            "--config",
            CONF.resolve("5-rollout-selected.yaml").toString(),
            "--set",
            modelSet,
            "--set",
            small,
            "--set",
            "prompts=" + selection));
    CliRunner.run(
        cmd(
            out,
            "score",
            "--config",
            CONF.resolve("6-score-selected.yaml").toString(),
            "--set",
            "input.path=" + out.resolve("rl-math-selected-rollouts")));
    Path scoredSelected = latest(out.resolve("rl-math-scored-selected"));
    JsonNode selectedRollout =
        ManifestSchema.assertValid(latest(out.resolve("rl-math-selected-rollouts")));
    long selectedRolled = selectedRollout.get("stages").get(0).get("kept").asLong();
    assertThat(selectedRollout.get("stages").get(0).get("rows_in").asLong()).isEqualTo(8);
    ManifestSchema.assertValid(scoredSelected);

    Path shards = tmp.resolve("exports/shards-rl");
    CliRunner.run(
        "export",
        "--snapshot",
        out.resolve("rl-math-scored-selected").toString(),
        "--format",
        "shards-rl",
        "--config",
        CONF.resolve("7-export-rl.yaml").toString(),
        "--output",
        shards.toString(),
        "--master",
        "local[2]");
    Path verl = tmp.resolve("exports/verl");
    CliRunner.run(
        "export",
        "--snapshot",
        selection.toString(),
        "--format",
        "verl",
        "--output",
        verl.toString(),
        "--master",
        "local[2]");

    // Every job's output manifest has the one schema, exports included.
    assertThat(ManifestSchema.assertValid(verl).get("job").asText()).isEqualTo("export");
    ManifestSchema.assertValidFile(shards.resolve("export_manifest.json"));

    // Arrow JS: rows = scored samples; advantages and prompt token ids equal the scored snapshot's.
    List<Row> scoredRows = rows(scoredSelected.resolve("data"));
    Map<String, Row> byKey = new HashMap<>();
    scoredRows.forEach(r -> byKey.put(r.getAs("prompt_id") + "/" + r.getAs("sample_index"), r));
    JsonNode js = NodeReaders.run("read-shards.mjs", shards.toString());
    assertThat(js.get("kind").asText()).isEqualTo("rl");
    assertThat(js.get("rows").size())
        .isEqualTo(scoredRows.size())
        .isEqualTo((int) selectedRolled * 4);
    for (JsonNode r : js.get("rows")) {
      Row s = byKey.get(r.get("prompt_id").asText() + "/" + r.get("sample_index").asInt());
      assertThat(s).as("shard row %s", r).isNotNull();
      assertThat(r.get("advantage").asDouble()).isEqualTo(s.<Double>getAs("advantage"));
      List<Integer> ids = new ArrayList<>();
      r.get("prompt_ids").forEach(x -> ids.add(x.asInt()));
      assertThat(ids).isEqualTo(s.getList(s.fieldIndex("prompt_token_ids")));
    }

    // DuckDB: the verl parquet has every selected prompt with its curated ground truth.
    JsonNode duck = NodeReaders.run("read-parquet.mjs", verl.resolve("*.parquet").toString());
    assertThat(duck.get("rows").size()).isEqualTo(8);
    for (JsonNode r : duck.get("rows")) {
      String id = r.get("extra_info").get("id").asText();
      assertThat(r.get("reward_model").get("ground_truth").asText()).isEqualTo(truth.get(id));
      assertThat(r.get("data_source").asText()).isIn("openai/gsm8k", "HuggingFaceH4/MATH-500");
    }
  }
}
