package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user chains it, in one JVM: curate the demo corpus, export the snapshot as verl
 * parquet and as SFT Arrow shards, then inspect the dataset and the shards. Each command starts and
 * stops its own embedded Spark.
 */
class CliPipelineTest {
  private static final Path REPO = SharedData.repoDir();

  private static String run(String... args) {
    return CliRunner.run(args);
  }

  static String[] demoArgs(String command, Path out) {
    return demoArgs(command, out, "conf/demo.yaml");
  }

  /**
   * {@code config} (relative to the repository) over the demo corpus, its five sources in order.
   */
  static String[] demoArgs(String command, Path out, String config) {
    List<String> a = new ArrayList<>(List.of(command, "--config", REPO.resolve(config).toString()));
    String[] files = {
      "openai_messages.jsonl", "sharegpt.json", "alpaca.jsonl.gz", "hh.jsonl", "gsm8k_style.jsonl"
    };
    for (int i = 0; i < files.length; i++) {
      a.addAll(
          List.of(
              "--set", "sources[" + i + "].path=" + REPO.resolve("conf/demo/corpus/" + files[i])));
    }
    a.addAll(
        List.of(
            "--set",
            "decontamination.benchmarks[0].path="
                + REPO.resolve("conf/demo/benchmarks/demo_bench.jsonl"),
            "--master",
            "local[2]",
            "--output",
            out.toString()));
    return a.toArray(String[]::new);
  }

  @Test
  void curateExportInspect(@TempDir Path out) throws Exception {
    String curate = run(demoArgs("curate", out));
    assertThat(curate).contains("Snapshot written to: ");
    String id = Files.readString(out.resolve("demo/LATEST")).trim();
    Path snapshot = out.resolve("demo/snapshots").resolve(id);

    String refresh = run(demoArgs("refresh", out));
    assertThat(refresh).contains("Nothing new");

    String verl =
        run(
            "export",
            "--snapshot",
            snapshot.toString(),
            "--format",
            "verl",
            "--output",
            out.resolve("verl").toString(),
            "--master",
            "local[2]");
    assertThat(verl).contains("Exported to: ");
    assertThat(out.resolve("verl/train.parquet")).exists();

    Path shards = out.resolve("shards");
    // A project-generated tiny model: byte-level BPE tokenizer and a Jinja chat template.
    Path model = out.resolve("tiny-model");
    io.gristmill.rollout.checkpoint.TinyCheckpointWriter.write(
        model, io.gristmill.rollout.checkpoint.TinyCheckpointSpec.tiny());
    run(
        "export",
        "--snapshot",
        snapshot.toString(),
        "--format",
        "shards-sft",
        "--output",
        shards.toString(),
        "--config",
        REPO.resolve("conf/export.yaml").toString(),
        "--set",
        "sft.tokenizer=" + model,
        "--master",
        "local[2]");
    assertThat(shards.resolve("manifest.json")).exists();

    // Every row the snapshot kept (after the demo's mix) is one shard row.
    long kept = 0;
    for (com.fasterxml.jackson.databind.JsonNode f :
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(snapshot.resolve("manifest.json").toFile())
            .get("inputs")) {
      kept += f.get("rows_kept").asLong();
    }
    assertThat(kept).as("rows the demo snapshot kept").isPositive();
    assertThat(run("inspect", shards.toString()))
        .contains("rows: " + kept + " in 1 shards")
        .contains("checksums: all 1 verified");
    assertThat(run("inspect", out.resolve("demo").toString()))
        .contains("near_dedup")
        .contains("decontamination")
        .contains("Snapshot: ");
  }
}
