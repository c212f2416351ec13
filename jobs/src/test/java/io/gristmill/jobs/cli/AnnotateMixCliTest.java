package io.gristmill.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.testing.NodeReaders;
import io.gristmill.curation.annotate.AnnotationColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command ({@code gristmill curate --config conf/demo.yaml}) runs the whole SFT
 * chain, annotate and mix included; the snapshot is read back with DuckDB (not Spark).
 */
class AnnotateMixCliTest {
  @Test
  void demoCurateAnnotatesAndMixes(@TempDir Path out) throws Exception {
    NodeReaders.require();
    String text = CliRunner.run(CliPipelineTest.demoArgs("curate", out));
    assertThat(text).contains("annotate").contains("mix");
    String id = Files.readString(out.resolve("demo/LATEST")).trim();
    Path snap = out.resolve("demo/snapshots").resolve(id);

    JsonNode data = NodeReaders.run("read-parquet.mjs", snap.resolve("data/*.parquet").toString());
    Set<String> columns = new HashSet<>();
    data.get("columns").forEach(c -> columns.add(c.get("name").asText()));
    assertThat(columns).containsAll(AnnotationColumns.all());
    assertThat(data.get("rows").size()).isGreaterThan(0);
    int german = 0;
    for (JsonNode r : data.get("rows")) {
      assertThat(r.get(AnnotationColumns.REFUSAL).asBoolean()).isFalse(); // filter no_refusal
      assertThat(r.get(AnnotationColumns.SHORT_RESPONSE).asBoolean()).isFalse();
      assertThat(r.get(AnnotationColumns.TURNS_USER).asInt()).isGreaterThanOrEqualTo(1);
      german += r.get(AnnotationColumns.LANGUAGE).asText().equals("de") ? 1 : 0;
    }
    assertThat(german).isLessThanOrEqualTo(1); // category_caps {de: 1}

    JsonNode rejected =
        NodeReaders.run("read-parquet.mjs", snap.resolve("rejected/*.parquet").toString());
    List<String> mixReasons = new ArrayList<>();
    for (JsonNode r : rejected.get("rows")) {
      if (r.get("stage").asText().equals("mix")) {
        mixReasons.add(r.get("reason").asText());
      }
    }
    assertThat(mixReasons).isNotEmpty();
    assertThat(mixReasons)
        .allMatch(
            s ->
                s.equals("mix_filter:no_refusal")
                    || s.equals("mix_filter:has_response")
                    || s.equals("mix_quota:alpaca")
                    || s.startsWith("mix_cap:"),
            "every mix rejection names its rule");
    String manifest = Files.readString(snap.resolve("manifest.json"));
    assertThat(manifest).contains("mix resolved: ");
  }
}
