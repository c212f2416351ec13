package io.gristmill.jobs.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nightly refresh: only new files, deduplicated against what the last snapshot kept. */
class RefreshJobTest extends SparkTestBase {
  private static final String LONG =
      "Plan a three day walking trip through the hills north of the old mill town, with a"
          + " stop at the lake on the second day, a list of what to pack for rain, and a short"
          + " note on where to buy bread and cheese for lunch along the way each day";

  private static String row(String id, String user, String assistant) {
    return String.format(
        "{\"id\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"},"
            + "{\"role\":\"assistant\",\"content\":\"%s\"}]}%n",
        id, user, assistant);
  }

  private static CurateConfig config(Path in, Path out) {
    String yaml =
        "dataset: nightly\n"
            + "sources:\n"
            + "  - {name: feed, path: '"
            + in
            + "/*.jsonl', format: messages}\n"
            + "near_dedup: {threshold: 0.8, min_tokens: 5}\n";
    return ConfigLoader.fromString(
        yaml, "refresh.yaml", CurateConfig.class, List.of("output_root=" + out));
  }

  private static Optional<CurateJob.Result> refresh(CurateConfig cfg) {
    return RefreshJob.run(spark, cfg, ConfigLoader.yamlMapper().valueToTree(cfg));
  }

  @Test
  void secondNightReadsOnlyNewFilesAndDedupsAgainstTheFirst(@TempDir Path in, @TempDir Path out)
      throws Exception {
    Files.writeString(
        in.resolve("day1.jsonl"),
        row("a", "What is the boiling point of water?", "100 C at sea level.")
            + row("b", LONG, "Day one: ..."));
    CurateConfig cfg = config(in, out);

    CurateJob.Result first = refresh(cfg).orElseThrow();
    assertThat(first.manifest().job()).isEqualTo("curate");
    assertThat(first.manifest().outputs()).containsEntry("data", 2L);
    assertThat(refresh(cfg)).as("nothing new on an unchanged input folder").isEmpty();

    Files.writeString(
        in.resolve("day2.jsonl"),
        row("a-again", "what is the BOILING point of water?", "100 C at sea level.")
            + row("b-near", LONG + " please", "Day one: ...")
            + row("c", "Name a prime number greater than ten.", "Eleven."));
    CurateJob.Result second = refresh(cfg).orElseThrow();
    assertThat(second.manifest().job()).isEqualTo("refresh");
    assertThat(second.manifest().previousSnapshot()).isEqualTo(first.manifest().snapshotId());
    // The refresh snapshot accounts for every input it reflects: day1's rows were carried forward.
    assertThat(second.manifest().inputs()).hasSize(2);
    var day1 = second.manifest().inputs().get(0);
    var day2 = second.manifest().inputs().get(1);
    assertThat(day1.path()).endsWith("day1.jsonl");
    assertThat(day1.rowsKept()).isEqualTo(2L);
    assertThat(day2.path()).endsWith("day2.jsonl");
    assertThat(day2.rowsKept()).isEqualTo(1L);
    assertThat(day2.rowsRejected()).isEqualTo(2L);
    assertThat(day2.rejectedByStage())
        .containsEntry("exact_dedup", 1L)
        .containsEntry("near_dedup", 1L);
    io.gristmill.jobs.testing.ManifestSchema.assertAccounted(Path.of(second.snapshotDir()));
    assertThat(second.manifest().outputs())
        .as(second.summary())
        .containsEntry("data", 3L)
        .containsEntry("rejected", 2L);

    List<Row> data = spark.read().parquet(second.snapshotDir() + "/data").collectAsList();
    assertThat(data)
        .extracting(r -> r.<String>getAs("original_id"))
        .containsExactlyInAnyOrder("a", "b", "c");
    Map<String, Row> rejected = new TreeMap<>();
    spark
        .read()
        .parquet(second.snapshotDir() + "/rejected")
        .collectAsList()
        .forEach(r -> rejected.put(r.getAs("original_id"), r));
    assertThat(rejected.get("a-again").<String>getAs("reason")).isEqualTo("exact_duplicate");
    assertThat(rejected.get("a-again").<String>getAs("duplicate_of_original_id")).isEqualTo("a");
    assertThat(rejected.get("b-near").<String>getAs("reason")).isEqualTo("near_duplicate");
    assertThat(rejected.get("b-near").<String>getAs("duplicate_of_original_id")).isEqualTo("b");
    assertThat(second.summary()).contains("carried forward").contains("1 new rows added");
  }
}
