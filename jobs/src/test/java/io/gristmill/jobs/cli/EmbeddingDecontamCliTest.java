package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.testing.NodeReaders;
import io.gristmill.rollout.checkpoint.TinyBertWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gristmill curate} on the demo corpus with paraphrase decontamination and its optional
 * embedding signal (a project-written random BERT checkpoint): the encoder runs in the executors,
 * the manifest says which model was used, the contaminated demo rows are in {@code rejected} with
 * their reason, and the snapshot exports as HF Parquet that DuckDB reads row for row.
 */
class EmbeddingDecontamCliTest {
  @Test
  void curateWithTheEmbeddingSignalRunsThroughTheCliAndItsSnapshotExports(@TempDir Path out)
      throws Exception {
    NodeReaders.require();
    Path encoder = out.resolve("encoder");
    TinyBertWriter.write(encoder, TinyBertWriter.Spec.tiny());
    List<String> args = new ArrayList<>(List.of(CliPipelineTest.demoArgs("curate", out)));
    args.addAll(
        List.of(
            "--set",
            "decontamination.paraphrase.enabled=true",
            "--set",
            "decontamination.paraphrase.embedding.model=" + encoder,
            "--set",
            "decontamination.paraphrase.embedding.batch_size=8"));
    String text = CliRunner.run(args.toArray(String[]::new));
    assertThat(text).contains("Snapshot written to: ");
    String id = Files.readString(out.resolve("demo/LATEST")).trim();
    Path snap = out.resolve("demo/snapshots").resolve(id);
    String manifest = Files.readString(snap.resolve("manifest.json"));
    assertThat(manifest).contains("+ paraphrase + embedding " + encoder);

    JsonNode rejected =
        NodeReaders.run("read-parquet.mjs", snap.resolve("rejected/*.parquet").toString());
    long decontaminated = 0;
    for (JsonNode r : rejected.get("rows")) {
      String reason = r.get("reason").asText();
      if (reason.equals("contaminated") || reason.equals("paraphrased")) {
        decontaminated++;
      }
    }
    // the demo corpus carries copies of its stand-in benchmark's items
    assertThat(decontaminated).isPositive();

    JsonNode data = NodeReaders.run("read-parquet.mjs", snap.resolve("data/*.parquet").toString());
    assertThat(data.get("rows").size()).isPositive();
    assertThat(CliRunner.exportHfParquetRows(snap, out.resolve("hf")))
        .isEqualTo(data.get("rows").size());
  }
}
