package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.snapshot.SnapshotManifest.InputFile;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestSparkStageTest extends SparkTestBase {
  @TempDir Path tmp;

  private static SourceConfig src(String name, String file, Format format) {
    return SourceConfig.of(name, Fixtures.path(file), format);
  }

  @Test
  void readsEveryFormatWithExactCounts() {
    List<SourceConfig> sources =
        List.of(
            src("messages", "formats/messages.jsonl", Format.MESSAGES),
            src("sharegpt", "formats/sharegpt.json", Format.SHAREGPT),
            src("alpaca", "formats/alpaca.json", Format.ALPACA),
            src("turns", "formats/turns.jsonl", Format.TURNS),
            new SourceConfig(
                "answers",
                List.of(Fixtures.path("formats/answers.jsonl")),
                Format.TURNS,
                Map.of("turns", "/choices/0/turns"),
                null,
                null,
                new PromptLookupConfig(Fixtures.path("formats/turns.jsonl"), null, null)),
            src("history", "formats/history.jsonl", Format.HISTORY),
            src("hh", "formats/hh.jsonl.gz", Format.HH),
            src("pc", "formats/prompt_completion.jsonl", Format.PROMPT_COMPLETION),
            src("gsm8k", "formats/gsm8k.jsonl", Format.GSM8K),
            src("math", "formats/math.jsonl", Format.MATH),
            src("math500", "formats/math500.jsonl", Format.MATH500));
    IngestResult r = IngestSparkStage.run(spark, sources, IngestConfig.defaults());

    Map<String, long[]> perSource = new TreeMap<>();
    for (InputFile f : r.inputs()) {
      assertThat(f.rowsRead()).isEqualTo(f.rowsKept() + f.rowsRejected());
      assertThat(f.sha256()).hasSize(64);
      assertThat(f.bytes()).isEqualTo(fileSize(f.path()));
      perSource.put(f.source(), new long[] {f.rowsRead(), f.rowsKept(), f.rowsRejected()});
    }
    assertThat(perSource)
        .containsEntry("messages", new long[] {3, 2, 1})
        .containsEntry("sharegpt", new long[] {3, 3, 0})
        .containsEntry("alpaca", new long[] {2, 2, 0})
        .containsEntry("turns", new long[] {2, 2, 0})
        .containsEntry("answers", new long[] {2, 1, 1})
        .containsEntry("history", new long[] {1, 1, 0})
        .containsEntry("hh", new long[] {1, 1, 0})
        .containsEntry("pc", new long[] {2, 1, 1})
        .containsEntry("gsm8k", new long[] {1, 1, 0})
        .containsEntry("math", new long[] {1, 1, 0})
        .containsEntry("math500", new long[] {1, 1, 0});
    assertThat(r.kept().schema()).isEqualTo(SparkSchemas.CONVERSATION);
    assertThat(r.rejected().schema()).isEqualTo(SparkSchemas.REJECTED);
    assertThat(r.kept().count()).isEqualTo(16);
    assertThat(r.report().rowsIn()).isEqualTo(19);
    assertThat(r.report().rejected()).isEqualTo(Map.of("empty_content", 1L, "missing_field", 2L));
    Row empty = r.rejected().filter("reason = 'empty_content'").first();
    assertThat(empty.<Long>getAs("line")).isEqualTo(4L);
    assertThat(empty.<String>getAs("original_id")).isEqualTo("m3");
    assertThat(empty.<String>getAs("stage")).isEqualTo("ingest");
  }

  @Test
  void everyBrokenRecordEndsInRejectedUnderItsOwnReason() {
    List<SourceConfig> sources =
        List.of(
            src("bad", "bad/messages_bad.jsonl", Format.MESSAGES),
            src("badhh", "bad/hh_bad.jsonl", Format.HH),
            src("gz", "bad/truncated.jsonl.gz", Format.MESSAGES));
    IngestResult r = IngestSparkStage.run(spark, sources, new IngestConfig(1024L));

    Map<String, Long> byReason = r.report().rejected();
    assertThat(byReason.keySet())
        .containsExactlyInAnyOrder(
            "malformed_json",
            "invalid_utf8",
            "not_an_object",
            "missing_messages",
            "empty_messages",
            "missing_field",
            "wrong_type",
            "non_string_content",
            "empty_content",
            "unknown_role",
            "broken_role_order",
            "no_user_turn",
            "no_assistant_turn",
            "oversized_record",
            "unparseable_transcript",
            "unreadable_file");
    assertThat(byReason)
        .containsEntry("broken_role_order", 2L)
        .containsEntry("unreadable_file", 1L);
    assertThat(byReason.values().stream().mapToLong(Long::longValue).sum() - 1)
        .isEqualTo(r.rejected().filter("source != 'gz'").count());
    for (String reason : byReason.keySet()) {
      assertThat(IngestReason.fromCode(reason).code()).isEqualTo(reason);
    }
    Map<String, InputFile> files =
        r.inputs().stream().collect(Collectors.toMap(InputFile::source, f -> f));
    assertThat(files.get("bad").rowsRead()).isEqualTo(16);
    assertThat(files.get("bad").rowsKept()).isEqualTo(1);
    assertThat(files.get("badhh").rowsKept()).isEqualTo(1);
    InputFile gz = files.get("gz");
    assertThat(gz.rowsKept()).isGreaterThan(10);
    assertThat(gz.rowsRead()).isEqualTo(gz.rowsKept() + 1);
    assertThat(r.report().rowsIn()).isEqualTo(r.report().kept() + r.report().rejectedTotal());
    assertThat(r.kept().count() + r.rejected().count()).isEqualTo(r.report().rowsIn());

    Map<Long, String> badLines = new TreeMap<>();
    for (Row row : r.rejected().filter("source = 'bad'").collectAsList()) {
      badLines.put(row.getAs("line"), row.getAs("reason"));
      assertThat(row.<String>getAs("file")).endsWith("messages_bad.jsonl");
      assertThat(row.<String>getAs("detail")).isNotBlank();
    }
    assertThat(badLines)
        .containsEntry(2L, "malformed_json")
        .containsEntry(3L, "invalid_utf8")
        .containsEntry(15L, "oversized_record")
        .containsEntry(16L, "broken_role_order");
    Row utf8 = r.rejected().filter("reason = 'invalid_utf8'").first();
    assertThat(utf8.<String>getAs("excerpt")).startsWith("{\"id\": \"bad3\"");
  }

  @Test
  void readsVerlParquetWrittenBySpark() throws Exception {
    String dir = tmp.resolve("verl.parquet").toString();
    spark
        .sql(
            "SELECT 'openai/gsm8k' AS data_source, array(named_struct('role', 'user', 'content',"
                + " concat('What is ', CAST(id AS STRING), ' + 1?'))) AS prompt, 'math' AS ability,"
                + " named_struct('style', 'rule', 'ground_truth', CAST(id + 1 AS STRING)) AS"
                + " reward_model, named_struct('split', 'train', 'index', id) AS extra_info"
                + " FROM range(5)")
        .coalesce(1)
        .write()
        .parquet(dir);
    IngestResult r =
        IngestSparkStage.run(
            spark, List.of(SourceConfig.of("verl", dir, Format.VERL)), IngestConfig.defaults());
    assertThat(r.inputs()).hasSize(1);
    assertThat(r.inputs().get(0).rowsRead()).isEqualTo(5);
    List<Row> rows = r.kept().collectAsList();
    assertThat(rows).hasSize(5);
    Row first = rows.get(0);
    assertThat(first.<String>getAs("metadata"))
        .isEqualTo(
            "{\"ability\":\"math\",\"data_source\":\"openai/gsm8k\",\"extra_info\":{\"split\":\"train\","
                + "\"index\":0},\"reward_model\":{\"style\":\"rule\",\"ground_truth\":\"1\"}}");
    assertThat(SparkSchemas.fromRow(first).messages().get(0).content()).isEqualTo("What is 0 + 1?");
    // verl rows carry their own data source and reward_model.ground_truth as columns.
    for (Row row : rows) {
      assertThat(row.<String>getAs("data_source")).isEqualTo("openai/gsm8k");
      long index =
          com.fasterxml.jackson.databind.json.JsonMapper.builder()
              .build()
              .readTree(row.<String>getAs("metadata"))
              .at("/extra_info/index")
              .asLong();
      assertThat(row.<String>getAs("ground_truth")).isEqualTo(String.valueOf(index + 1));
    }
  }

  @Test
  void promptSetFormatsFillDataSourceAndGroundTruth() {
    List<SourceConfig> sources =
        List.of(
            src("gsm8k", "formats/gsm8k.jsonl", Format.GSM8K),
            src("math", "formats/math.jsonl", Format.MATH),
            src("math500", "formats/math500.jsonl", Format.MATH500),
            src("messages", "formats/messages.jsonl", Format.MESSAGES),
            src("mine", "formats/gsm8k.jsonl", Format.GSM8K).withDataSource("my/gsm"));
    Map<String, Row> bySource = new TreeMap<>();
    for (Row row :
        IngestSparkStage.run(spark, sources, IngestConfig.defaults()).kept().collectAsList()) {
      bySource.putIfAbsent(row.getAs("source"), row);
    }
    assertThat(bySource.get("gsm8k").<String>getAs("data_source")).isEqualTo("openai/gsm8k");
    assertThat(bySource.get("gsm8k").<String>getAs("ground_truth")).isEqualTo("2");
    assertThat(bySource.get("math").<String>getAs("data_source")).isEqualTo("lighteval/MATH");
    assertThat(bySource.get("math").<String>getAs("ground_truth")).isEqualTo("2");
    assertThat(bySource.get("math500").<String>getAs("data_source"))
        .isEqualTo("HuggingFaceH4/MATH-500");
    assertThat(bySource.get("math500").<String>getAs("ground_truth")).isEqualTo("2");
    assertThat(bySource.get("messages").<String>getAs("data_source")).isNull();
    assertThat(bySource.get("messages").<String>getAs("ground_truth")).isNull();
    assertThat(bySource.get("mine").<String>getAs("data_source")).isEqualTo("my/gsm");
    assertThat(bySource.get("mine").<String>getAs("ground_truth")).isEqualTo("2");
  }

  /** Regression: kept rows carried no file and line; ingest sets both on every row. */
  @Test
  void keptRowsCarryTheirFileAndLine() {
    List<SourceConfig> sources =
        List.of(
            src("messages", "formats/messages.jsonl", Format.MESSAGES),
            src("sharegpt", "formats/sharegpt.json", Format.SHAREGPT));
    IngestResult r = IngestSparkStage.run(spark, sources, IngestConfig.defaults());
    List<Row> rows = r.kept().collectAsList();
    assertThat(rows).hasSize(5);
    for (Row row : rows) {
      String file = row.getAs("file");
      assertThat(file)
          .endsWith(row.getAs("source").equals("messages") ? "messages.jsonl" : "sharegpt.json");
      assertThat(row.<Long>getAs("line")).isPositive();
    }
    assertThat(
            rows.stream()
                .filter(x -> x.getAs("source").equals("sharegpt"))
                .map(x -> x.<Long>getAs("line"))
                .toList())
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void theStageListsItsInputsAndRejectsInputRows() {
    IngestSparkStage stage =
        new IngestSparkStage(
            List.of(src("gsm8k", "formats/gsm8k.jsonl", Format.GSM8K)), IngestConfig.defaults());
    assertThat(stage.name()).isEqualTo("ingest");
    assertThatThrownBy(stage::listedInputs).isInstanceOf(GristmillException.class);
    io.gristmill.core.stage.StageContext ctx = io.gristmill.core.stage.StageContext.of(spark, null);
    io.gristmill.core.stage.StageOutput out = stage.apply(null, ctx);
    assertThat(out.report().kept()).isEqualTo(1);
    assertThat(stage.listedInputs()).hasSize(1);
    assertThat(stage.listedInputs().get(0).path()).endsWith("gsm8k.jsonl");
    assertThatThrownBy(() -> stage.apply(out.kept(), ctx)).isInstanceOf(GristmillException.class);
  }

  @Test
  void sameInputsGiveSameRowsAndIds() {
    List<SourceConfig> sources =
        List.of(
            src("sharegpt", "formats/sharegpt.json", Format.SHAREGPT),
            src("messages", "formats/messages.jsonl", Format.MESSAGES));
    List<Row> a =
        IngestSparkStage.run(spark, sources, IngestConfig.defaults()).kept().collectAsList();
    List<Row> b =
        IngestSparkStage.run(spark, sources, IngestConfig.defaults()).kept().collectAsList();
    assertThat(a).hasSize(5).isEqualTo(b);
    assertThat(a.get(0).<String>getAs("source")).isEqualTo("sharegpt");
  }

  @Test
  void aPathMatchingNothingFailsAtOnce() {
    String missing = tmp.resolve("nothing-*.jsonl").toString();
    assertThatThrownBy(
            () ->
                IngestSparkStage.run(
                    spark,
                    List.of(SourceConfig.of("x", missing, Format.MESSAGES)),
                    IngestConfig.defaults()))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot read source 'x': no file matches '"
                + missing
                + "'. Check the path in the config; globs like data/*.jsonl are allowed.");
  }

  private static long fileSize(String uri) {
    try {
      return Files.size(Path.of(java.net.URI.create(uri)));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
