package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.testing.NodeReaders;
import io.gristmill.core.testing.SharedData;
import io.gristmill.curation.annotate.AnnotationColumns;
import io.gristmill.curation.annotate.judge.JudgeSparkStage;
import io.gristmill.curation.annotate.judge.NullReasons;
import io.gristmill.rollout.checkpoint.TinyArchitectures;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gristmill curate} on the demo corpus with a {@code judge} and a {@code reward_model}
 * section (project-written random-weight checkpoints); the snapshot is read back with DuckDB: every
 * row has each judged column and {@code reward} either filled or null with its reason; the judge
 * asks about a seeded half of the rows ({@code judge.sample_fraction}) and the rest say so; the
 * snapshot then exports as HF Parquet, read back with DuckDB.
 */
class JudgeRewardCliTest {
  @Test
  void curateWithJudgeAndRewardModelFillsTheColumnsOrNamesWhyNot(@TempDir Path out)
      throws Exception {
    NodeReaders.require();
    Path judge = out.resolve("judge-model");
    TinyCheckpointWriter.write(
        judge,
        new TinyCheckpointSpec(
            null, null, null, null, null, null, 4096, 7L, "float32", null, null));
    Path rm = out.resolve("rm-model");
    TinyArchitectures.write(rm, "llama3-rm");
    // the shipped example config, with the project's tiny checkpoints as its two models
    List<String> args =
        new ArrayList<>(
            List.of(CliPipelineTest.demoArgs("curate", out, "conf/annotation/judge-example.yaml")));
    args.addAll(
        List.of(
            "--set",
            "judge.model=" + judge,
            "--set",
            "judge.templates=" + SharedData.repoDir().resolve("conf/annotation"),
            "--set",
            "judge.aspects=[input_quality,safety]",
            "--set",
            "judge.max_new_tokens=6",
            "--set",
            "reward_model.model=" + rm));
    String text = CliRunner.run(args.toArray(String[]::new));
    assertThat(text).contains("judge").contains("reward_model");
    String id = Files.readString(out.resolve("demo_judged/LATEST")).trim();
    Path snap = out.resolve("demo_judged/snapshots").resolve(id);
    String manifest = Files.readString(snap.resolve("manifest.json"));
    assertThat(manifest).contains("judge: input_quality: ").contains("reward_model: ");

    JsonNode data = NodeReaders.run("read-parquet.mjs", snap.resolve("data/*.parquet").toString());
    Set<String> columns = new HashSet<>();
    data.get("columns").forEach(c -> columns.add(c.get("name").asText()));
    assertThat(columns).containsAll(AnnotationColumns.all()).contains(NullReasons.COLUMN);
    assertThat(data.get("rows").size()).isGreaterThan(0);
    int rewarded = 0;
    int notSampled = 0;
    for (JsonNode r : data.get("rows")) {
      String reasons = r.get(NullReasons.COLUMN).toString();
      for (String c :
          List.of(
              AnnotationColumns.INPUT_QUALITY,
              AnnotationColumns.SAFETY,
              AnnotationColumns.REWARD)) {
        boolean filled = !r.get(c).isNull();
        assertThat(filled)
            .as("%s of %s: a value xor a reason in %s", c, r.get("id"), reasons)
            .isNotEqualTo(reasons.contains("\"" + c + "\""));
      }
      rewarded += r.get(AnnotationColumns.REWARD).isNull() ? 0 : 1;
      notSampled += reasons.contains(JudgeSparkStage.NOT_SAMPLED) ? 1 : 0;
    }
    assertThat(rewarded).isPositive(); // every demo row has text: the reward model scores it
    // half the rows are judged (a seeded sample), the rest say so
    assertThat(notSampled).isPositive().isLessThan(data.get("rows").size());
    assertThat(manifest).contains("judge: a sample of 0.5000 of the rows (seed 0)");

    // The next command consumes the judged snapshot (its null_reasons map column included): an
    // HF export, read back with DuckDB, holds every row.
    assertThat(CliRunner.exportHfParquetRows(snap, out.resolve("hf")))
        .isEqualTo(data.get("rows").size());
  }
}
