package io.gristmill.bridge.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.bridge.ShardInspector;
import io.gristmill.bridge.read.BatchIterator;
import io.gristmill.bridge.read.ReaderOptions;
import io.gristmill.bridge.read.ReaderState;
import io.gristmill.bridge.read.ShardDataset;
import io.gristmill.bridge.sft.SftEncoder;
import io.gristmill.bridge.sft.SftFixtures;
import io.gristmill.bridge.sft.SftOptions;
import io.gristmill.bridge.sft.TokenizerFiles;
import io.gristmill.bridge.shard.ShardWriteOptions;
import io.gristmill.core.GristmillException;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.kind.KindSchemas;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.snapshot.Json;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.snapshot.SnapshotWriter;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

class ExportJobTest extends SparkTestBase {
  @TempDir static Path tmp;
  static Path model;

  /** A plain Parquet folder of conversations (no manifest). */
  static String table;

  /** A curated dataset folder (LATEST) of kind conversation. */
  static String curated;

  /** A prompt-set dataset folder shaped as curate writes GSM8K: ground_truth column, {} meta. */
  static String gsm8k;

  /** A scored rollout dataset folder with a difficulty/ output. */
  static String scored;

  static final String LONG_STORY = "once upon a time there was a long story ".repeat(40).trim();

  /** A small curated table: 5 conversations. */
  public static List<Conversation> conversations() {
    return List.of(
        new Conversation(
            "c1",
            "gsm8k",
            List.of(Message.user("Solve the problem"), Message.assistant("The answer is 72 .")),
            "7",
            "{\"answer\":\"3 + 69 = 72 #### 72\",\"category\":\"Math\"}"),
        new Conversation(
            "c2",
            "chat",
            List.of(
                Message.user("Hello"),
                Message.assistant("Hi there"),
                Message.user("How are you ?"),
                Message.assistant("Fine thanks")),
            null,
            "{\"category\":\"Chat\"}"),
        new Conversation("c3", "chat", List.of(Message.user("Tell me a story")), null, "{}"),
        new Conversation(
            "c4",
            "chat",
            List.of(Message.user("tell me a long story"), Message.assistant(LONG_STORY)),
            null,
            "{}"),
        new Conversation(
            "c5",
            "math",
            List.of(
                Message.system("you are fine"),
                Message.user("What is two plus two ?"),
                Message.assistant("four")),
            null,
            "{\"ground_truth\":\"4\",\"level\":\"Level 1\"}"));
  }

  /** GSM8K rows as curate keeps them: the number after #### in ground_truth, metadata {}. */
  static List<Conversation> gsm8kRows() {
    List<Conversation> out = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      List<Message> turns =
          i % 2 == 0
              ? List.of(Message.user("Q" + i + ": how many apples?"))
              : List.of(
                  Message.user("Q" + i + ": how many pears?"),
                  Message.assistant("Work it out ... #### " + (i * 7)));
      out.add(
          new Conversation(
              String.format("%032x", i * 7919L),
              "gsm8k_test",
              turns,
              String.valueOf(i),
              "{}",
              "openai/gsm8k",
              String.valueOf(i * 7),
              "test.jsonl",
              i + 1));
    }
    return out;
  }

  static Dataset<Row> frame(List<Conversation> cs) {
    List<Row> rows = new ArrayList<>();
    for (Conversation c : cs) {
      rows.add(SparkSchemas.toRow(c));
    }
    return spark.createDataFrame(rows, SparkSchemas.CONVERSATION);
  }

  static Object seq(List<?> l) {
    return CollectionConverters.asScala(l).toSeq();
  }

  @BeforeAll
  static void writeInputs() {
    model = SftFixtures.tinyModel(tmp.resolve("model"));
    Path snap = tmp.resolve("snapshot");
    frame(conversations()).write().parquet(snap.resolve("data").toString());
    table = snap.resolve("data").toString();

    String root = tmp.resolve("root").toString();
    SnapshotWriter w =
        SnapshotWriter.begin(spark, root, "curated", "curate", DatasetKind.CONVERSATION);
    w.writeData(frame(conversations()), 1, "id", "id");
    commit(w);
    curated = root + "/curated";

    SnapshotWriter g = SnapshotWriter.begin(spark, root, "gsm8k", "curate", DatasetKind.PROMPT_SET);
    g.writeData(frame(gsm8kRows()), 2, "id", "id");
    commit(g);
    gsm8k = root + "/gsm8k";

    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      for (int s = 0; s < 4; s++) {
        boolean imported = p == 2 && s == 3;
        rows.add(
            RowFactory.create(
                "p" + p,
                s,
                "openai/gsm8k",
                String.valueOf(p),
                "prompt " + p,
                "answer " + s,
                imported ? null : seq(List.of(10 + p, 11 + p)),
                imported ? null : seq(List.of(100 + s, 200 + s, 300)),
                imported ? null : seq(List.of(-0.5f, -0.25f, -0.125f)),
                (double) (s % 2),
                s % 2 == 1,
                s % 2 == 1 ? 1.0 : -1.0));
      }
    }
    SnapshotWriter sw =
        SnapshotWriter.begin(spark, root, "scored", "score", DatasetKind.SCORED_ROLLOUT);
    sw.writeData(
        spark.createDataFrame(rows, KindSchemas.SCORED_ROLLOUT),
        1,
        "prompt_id",
        "prompt_id",
        "sample_index");
    StructType diff = KindSchemas.DIFFICULTY.add("bucket", DataTypes.StringType, false);
    List<Row> d = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      d.add(RowFactory.create("p" + p, "openai/gsm8k", "prompt " + p, 4, 2, 0.5, "medium"));
    }
    sw.writeOutput(
        "difficulty",
        spark.createDataFrame(d, diff),
        DatasetKind.DIFFICULTY,
        1,
        "prompt_id",
        "prompt_id");
    commit(sw);
    scored = root + "/scored";
  }

  static void commit(SnapshotWriter w) {
    w.commit(
        new SnapshotWriter.Commit(
            List.of(), Json.mapper().createObjectNode(), List.of(), List.of(), Map.of(), null));
  }

  static ExportConfig sft(int maxTokens, String policy) {
    return new ExportConfig(
        new ShardWriteOptions(null, null, 2, 2, 1L),
        SftFixtures.options(model, maxTokens, policy),
        null,
        null);
  }

  static String out(String name) {
    return tmp.resolve("out").resolve(name).toString();
  }

  static SnapshotManifest manifest(String file) throws Exception {
    return Json.mapper().readValue(Path.of(file).toFile(), SnapshotManifest.class);
  }

  static int exitCode(Throwable t) {
    return ((GristmillException) t).kind().exitCode();
  }

  /** No Hadoop checksum or _SUCCESS files anywhere under {@code dir}. */
  static void assertNoClutter(String dir) throws Exception {
    try (Stream<Path> s = Files.walk(Path.of(dir))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".crc") || n.equals("_SUCCESS") || n.startsWith("_"));
    }
  }

  @Test
  void sftShardsDecodeToTheTemplatesRenderingWithMasksOnAssistantTokens() throws Exception {
    String out = out("sft");
    ExportSummary s = ExportJob.run(spark, table, "shards-sft", out, sft(4096, "skip"));
    assertThat(s.rows()).isEqualTo(4);
    assertThat(s.rejected()).isEqualTo(1);
    List<Row> rejected = spark.read().parquet(out + "/rejected").collectAsList();
    assertThat(rejected).extracting(r -> r.getAs("id")).containsExactly("c3");
    assertThat(rejected.get(0).<String>getAs("reason")).isEqualTo("no_assistant_tokens");
    assertThat(rejected.get(0).<String>getAs("stage")).isEqualTo("export_sft");
    assertThat(rejected.get(0).<String>getAs("detail"))
        .isEqualTo("the conversation has no assistant turn");

    SftEncoder enc =
        SftEncoder.forFiles(TokenizerFiles.load(SftFixtures.options(model, 4096, "skip")));
    Map<String, SftFixtures.Row> rows = SftFixtures.readSft(Path.of(out));
    assertThat(rows).containsOnlyKeys("c1", "c2", "c4", "c5");
    for (Conversation c : conversations()) {
      if (rows.containsKey(c.id())) {
        assertThat(SftFixtures.check(enc, c.messages(), rows.get(c.id()))).as(c.id()).isNull();
      }
    }
    assertThat(enc.decode(rows.get("c1").ids()))
        .isEqualTo("<s><|user|>\nSolve the problem</s>\n<|assistant|>\nThe answer is 72 .</s>\n");
    String summary = ShardInspector.inspect(Path.of(out), true);
    assertThat(summary).contains("kind: sft (schema v1").contains("rows: 4 in 2 shards");
    try (ShardDataset ds = ShardDataset.open(Path.of(out), false)) {
      assertThat(ds.manifest().lineage().inputPath()).endsWith("snapshot/data");
      assertThat(ds.manifest().lineage().codeVersion()).isNotBlank();
    }

    SnapshotManifest m = manifest(out + "/" + ExportJob.SHARD_EXPORT_MANIFEST);
    assertThat(s.manifest()).isEqualTo(out + "/export_manifest.json");
    assertThat(m.job()).isEqualTo("export");
    assertThat(m.kind()).isEqualTo("conversation");
    assertThat(m.codeVersion()).isNotBlank();
    assertThat(m.inputs()).hasSize(1);
    SnapshotManifest.InputFile in = m.inputs().get(0);
    assertThat(in.sha256()).hasSize(64);
    assertThat(in.bytes()).isPositive();
    assertThat(in.rowsRead()).isEqualTo(5);
    assertThat(in.rowsKept()).isEqualTo(4);
    assertThat(in.rejectedByStage()).containsEntry("export_sft", 1L);
    assertThat(m.stages().get(0).rejected()).containsExactly(Map.entry("no_assistant_tokens", 1L));
    assertThat(m.properties())
        .containsEntry("format", "shards-sft")
        .containsEntry("sft_truncated_rows", 0)
        .containsEntry("sft_overlong_rows", 0)
        .containsEntry("overlong", "skip")
        .containsEntry("unknown_token_rate", 0.0);
    assertThat(m.config().path("sft").path("tokenizer").asText()).isEqualTo(model.toString());
    assertThat(Files.readString(Path.of(out, "summary.txt")))
        .contains("Gristmill export")
        .contains("export_sft");
    assertNoClutter(out);
  }

  @Test
  void overlongSamplesFollowOnlyTheConfiguredPolicy() throws Exception {
    SftEncoder enc =
        SftEncoder.forFiles(TokenizerFiles.load(SftFixtures.options(model, 4096, "skip")));
    int c4 = ((SftEncoder.Encoded) enc.encode(conversations().get(3).messages())).ids().length;
    int c2 = ((SftEncoder.Encoded) enc.encode(conversations().get(1).messages())).ids().length;
    int limit = 200;
    assertThat(c4).isGreaterThan(limit);
    assertThat(c2).isLessThan(limit);

    String skip = out("sft-skip");
    ExportSummary s = ExportJob.run(spark, table, "shards-sft", skip, sft(limit, "skip"));
    assertThat(s.rows()).isEqualTo(3);
    Row r =
        spark
            .read()
            .parquet(skip + "/rejected")
            .filter("reason = 'overlong'")
            .collectAsList()
            .get(0);
    assertThat(r.<String>getAs("id")).isEqualTo("c4");
    assertThat(r.<String>getAs("detail")).isEqualTo(c4 + " tokens > max_tokens " + limit);
    assertThat(manifest(skip + "/export_manifest.json").properties())
        .containsEntry("sft_overlong_rows", 1)
        .containsEntry("sft_truncated_rows", 0);

    String trunc = out("sft-truncate");
    s = ExportJob.run(spark, table, "shards-sft", trunc, sft(limit, "truncate"));
    assertThat(s.rows()).isEqualTo(4);
    SftFixtures.Row cut = SftFixtures.readSft(Path.of(trunc)).get("c4");
    assertThat(cut.ids()).hasSize(limit);
    assertThat(manifest(trunc + "/export_manifest.json").properties())
        .containsEntry("sft_truncated_rows", 1)
        .containsEntry("sft_longest_sample_tokens", c4);

    String fail = out("sft-fail");
    assertThatThrownBy(() -> ExportJob.run(spark, table, "shards-sft", fail, sft(limit, "fail")))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("key 'sft.max_tokens' has invalid value '200'")
        .hasMessageContaining("1 of 5 samples are longer (longest: c4, " + c4 + " tokens)")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(2));
    assertThat(Path.of(fail, "manifest.json")).doesNotExist();
  }

  @Test
  void aTokenizerThatDoesNotKnowTheDataStopsTheExport() throws Exception {
    String fixture =
        Paths.get(ExportJobTest.class.getResource("/fixtures/tokenizer.json").toURI()).toString();
    ExportConfig cfg =
        new ExportConfig(
            null, new SftOptions(fixture, null, "builtin", null, null, null, null), null, null);
    assertThatThrownBy(() -> ExportJob.run(spark, table, "shards-sft", out("sft-unk"), cfg))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("key 'sft.tokenizer' has invalid value '" + fixture + "'")
        .hasMessageMatching("(?s).*\\d+\\.\\d\\d% of the \\d+ tokens of the first 5 rows.*")
        .hasMessageContaining("above max_unknown_token_rate 1.00%")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(2));
    // A looser limit lets the run go on, where the round-trip check then rejects every row.
    ExportConfig loose =
        new ExportConfig(
            null, new SftOptions(fixture, null, "builtin", null, null, null, 1.0), null, null);
    assertThatThrownBy(() -> ExportJob.run(spark, table, "shards-sft", out("sft-unk2"), loose))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("none of its 5 rows has them")
        .hasMessageContaining("tokenizer_round_trip")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(2));
  }

  @Test
  void theTokenizerIsRequiredBeforeSparkStarts() {
    assertThatThrownBy(
            () ->
                ExportJob.checkInput(
                    table, "shards-sft", ExportConfig.defaults(), new Configuration()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("required key 'sft.tokenizer' is missing")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(2));
    // Other formats need none.
    assertThat(
            ExportJob.checkInput(table, "hf-jsonl", ExportConfig.defaults(), new Configuration())
                .isSnapshot())
        .isFalse();
  }

  @Test
  void verlOfACuratedGsm8kSnapshotWritesEveryRowWithItsGroundTruth() throws Exception {
    String out = out("verl-gsm8k");
    ExportSummary s = ExportJob.run(spark, gsm8k, "verl", out, ExportConfig.defaults());
    assertThat(s.rows()).isEqualTo(12);
    assertThat(s.rejected()).isZero();
    List<Row> rows =
        spark.read().parquet(out + "/train.parquet").orderBy("extra_info.index").collectAsList();
    Map<String, Conversation> byId = new HashMap<>();
    gsm8kRows().forEach(c -> byId.put(c.id(), c));
    assertThat(rows).hasSize(12);
    for (Row r : rows) {
      Row extra = r.getAs("extra_info");
      Conversation c = byId.get(extra.<String>getAs("id"));
      assertThat(r.<Row>getAs("reward_model").<String>getAs("ground_truth"))
          .isEqualTo(c.groundTruth());
      assertThat(r.<String>getAs("data_source")).isEqualTo("openai/gsm8k");
      assertThat(r.<String>getAs("ability")).isEqualTo("math");
      assertThat(r.getList(r.fieldIndex("prompt"))).hasSize(1);
      assertThat(extra.<String>getAs("original_id")).isEqualTo(c.originalId());
    }
    SnapshotManifest m = manifest(out + "/manifest.json");
    assertThat(m.job()).isEqualTo("export");
    assertThat(m.kind()).isEqualTo("prompt_set");
    assertThat(m.inputs().get(0).path()).contains("/gsm8k/snapshots/");
    assertThat(m.inputs().get(0).rowsKept()).isEqualTo(12);
    assertThat(m.outputs()).containsEntry("train.parquet", 12L);
    assertThat(m.properties()).containsEntry("input_kind", "prompt_set");
    assertThat(m.schema().toString()).contains("reward_model");
    try (Stream<Path> files = Files.list(Path.of(out))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("train.parquet", "manifest.json", "summary.txt");
    }
    assertNoClutter(out);
  }

  @Test
  void verlFallsBackToMetadataAnswersAndCountsRejectedRows() throws Exception {
    String out = out("verl");
    ExportSummary s = ExportJob.run(spark, table, "verl", out, ExportConfig.defaults());
    assertThat(s.rows()).isEqualTo(2);
    assertThat(s.rejected()).isEqualTo(3);
    List<Row> rows =
        spark.read().parquet(out + "/train.parquet").orderBy("extra_info.index").collectAsList();
    Row gsm = rows.get(0);
    assertThat(gsm.<String>getAs("data_source")).isEqualTo("gsm8k");
    assertThat(gsm.<Row>getAs("reward_model").<String>getAs("ground_truth")).isEqualTo("72");
    assertThat(gsm.<Row>getAs("reward_model").<String>getAs("style")).isEqualTo("rule");
    assertThat(gsm.<Row>getAs("extra_info").<Long>getAs("index")).isZero();
    assertThat(gsm.getList(gsm.fieldIndex("prompt"))).hasSize(1);
    Row math = rows.get(1);
    assertThat(math.getList(math.fieldIndex("prompt"))).hasSize(2);
    assertThat(math.<Row>getAs("extra_info").<Long>getAs("index")).isEqualTo(1L);
    Map<String, String> reasons = new HashMap<>();
    for (Row r : spark.read().parquet(out + "/rejected").collectAsList()) {
      reasons.put(r.getAs("id"), r.getAs("reason"));
    }
    assertThat(reasons)
        .containsOnly(
            Map.entry("c2", "no_ground_truth"),
            Map.entry("c3", "no_ground_truth"),
            Map.entry("c4", "no_ground_truth"));
    assertThat(manifest(out + "/manifest.json").stages().get(0).rejected())
        .containsExactly(Map.entry("no_ground_truth", 3L));
    try (Stream<Path> files = Files.list(Path.of(out, "rejected"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("part-00000.parquet");
    }
  }

  @Test
  void aVerlExportThatWouldWriteNothingFails() {
    List<Conversation> chat = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      chat.add(
          new Conversation(
              "x" + i,
              "chat",
              List.of(Message.user("hi"), Message.assistant("hello")),
              null,
              "{}"));
    }
    String in = tmp.resolve("chat-only").toString();
    frame(chat).write().parquet(in);
    String out = out("verl-empty");
    assertThatThrownBy(() -> ExportJob.run(spark, in, "verl", out, ExportConfig.defaults()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("Cannot run export --format verl on " + in)
        .hasMessageContaining("none of its 3 rows has them, all were rejected (no_ground_truth 3")
        .hasMessageContaining("gristmill curate (of gsm8k")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(2));
    assertThat(Path.of(out, "train.parquet")).doesNotExist();
    assertThat(Path.of(out, "manifest.json")).doesNotExist();
  }

  @Test
  void exportNeverWritesIntoANonEmptyFolder() throws Exception {
    Path full = tmp.resolve("occupied");
    Files.createDirectories(full);
    Files.writeString(full.resolve("notes.txt"), "mine");
    assertThatThrownBy(
            () -> ExportJob.run(spark, table, "hf-jsonl", full.toString(), ExportConfig.defaults()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("Cannot write the export to " + full)
        .hasMessageContaining("the folder exists and is not empty (it holds 'notes.txt')")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(4));
    assertThat(Files.readString(full.resolve("notes.txt"))).isEqualTo("mine");
    // A second export into the same folder is refused too, for shards (their manifest) and files.
    String shards = out("twice-sft");
    ExportJob.run(spark, table, "shards-sft", shards, sft(4096, "skip"));
    assertThatThrownBy(() -> ExportJob.run(spark, table, "shards-sft", shards, sft(4096, "skip")))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("(it holds 'export_manifest.json', 'manifest.json'")
        .hasMessageContaining("pass --overwrite to replace it")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(4));
    // An empty folder is fine.
    Path empty = tmp.resolve("empty-out");
    Files.createDirectories(empty);
    assertThat(
            ExportJob.run(spark, table, "hf-parquet", empty.toString(), ExportConfig.defaults())
                .rows())
        .isEqualTo(5);
  }

  static Map<String, String> sha256s(Path dir) throws Exception {
    Map<String, String> out = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
        out.put(dir.relativize(p).toString(), java.util.HexFormat.of().formatHex(d));
      }
    }
    return out;
  }

  /** Names in {@code dir} starting with a dot (staging or replaced folders left behind). */
  static List<String> hidden(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }

  @Test
  void anExportNeverWritesIntoAPublishedSnapshotOrDatasetFolder() throws Exception {
    Path dataset = Path.of(curated);
    Path snap =
        Path.of(
            io.gristmill.core.snapshot.SnapshotRef.resolve(curated, new Configuration())
                .dataPath()
                .getParent()
                .toUri()
                .getPath());
    Map<String, String> before = sha256s(dataset);
    for (boolean overwrite : new boolean[] {false, true}) {
      for (String target :
          List.of(
              snap.toString(),
              snap.resolve("data").toString(),
              curated,
              dataset.resolve("hf").toString())) {
        for (String format : List.of("hf-parquet", "hf-jsonl")) {
          assertThatThrownBy(
                  () ->
                      ExportJob.run(
                          spark, table, format, target, ExportConfig.defaults(), overwrite))
              .as("%s into %s (overwrite %s)", format, target, overwrite)
              .isInstanceOf(GristmillException.class)
              .hasMessageContaining("Gristmill")
              .satisfies(t -> assertThat(exitCode(t)).isEqualTo(4));
        }
      }
    }
    assertThat(sha256s(dataset)).isEqualTo(before);
    assertThat(hidden(snap.getParent())).isEmpty();
  }

  @Test
  void overwriteReplacesAnEarlierExportAndAFailedOneLeavesItAsItWas() throws Exception {
    Path parent = Files.createDirectories(tmp.resolve("overwrite"));
    Path target = parent.resolve("hf");
    ExportJob.run(spark, table, "hf-jsonl", target.toString(), ExportConfig.defaults());
    String first = manifest(target + "/manifest.json").snapshotId();
    assertThatThrownBy(
            () ->
                ExportJob.run(spark, table, "hf-jsonl", target.toString(), ExportConfig.defaults()))
        .hasMessageContaining("pass --overwrite to replace it")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(4));
    ExportSummary s =
        ExportJob.run(
            spark, curated, "hf-parquet", target.toString(), ExportConfig.defaults(), true);
    assertThat(s.rows()).isEqualTo(5);
    assertThat(s.manifest()).isEqualTo(target + "/manifest.json");
    SnapshotManifest second = manifest(target + "/manifest.json");
    assertThat(second.snapshotId()).isNotEqualTo(first);
    assertThat(second.dataset()).isEqualTo("hf");
    try (Stream<Path> files = Files.list(target.resolve("data"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("part-00000.parquet");
    }
    assertThat(hidden(parent)).isEmpty();
    // An export that fails after Spark started (an overlong sample under overlong: fail) changes
    // nothing.
    Map<String, String> published = sha256s(target);
    assertThatThrownBy(
            () ->
                ExportJob.run(
                    spark, table, "shards-sft", target.toString(), sft(200, "fail"), true))
        .isInstanceOf(GristmillException.class);
    assertThat(sha256s(target)).isEqualTo(published);
    assertThat(hidden(parent)).isEmpty();
    assertNoClutter(target.toString());
  }

  @Test
  void aDatasetFolderIsAcceptedAndHfFilesHaveDeterministicNames() throws Exception {
    String out = out("hf-parquet");
    ExportSummary s = ExportJob.run(spark, curated, "hf-parquet", out, ExportConfig.defaults());
    assertThat(s.rows()).isEqualTo(5);
    try (Stream<Path> files = Files.list(Path.of(out, "data"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("part-00000.parquet");
    }
    assertThat(spark.read().parquet(out + "/data").count()).isEqualTo(5);
    assertThat(Files.readString(Path.of(out, "README.md"))).contains("path: \"data/*.parquet\"");
    SnapshotManifest m = manifest(out + "/manifest.json");
    assertThat(m.kind()).isEqualTo("conversation");
    assertThat(m.inputs().get(0).source()).isEqualTo("snapshot");
    assertThat(m.outputs()).containsEntry("data", 5L);
    assertNoClutter(out);
    // The same input exported twice gives byte-identical data files.
    String again = out("hf-parquet-again");
    ExportJob.run(spark, curated, "hf-parquet", again, ExportConfig.defaults());
    assertThat(Files.readAllBytes(Path.of(again, "data/part-00000.parquet")))
        .isEqualTo(Files.readAllBytes(Path.of(out, "data/part-00000.parquet")));
  }

  @Test
  void hfJsonlHasMessagesAndADatasetCard() throws Exception {
    String out = out("hf");
    ExportSummary s = ExportJob.run(spark, table, "hf-jsonl", out, ExportConfig.defaults());
    assertThat(s.rows()).isEqualTo(5);
    try (Stream<Path> files = Files.list(Path.of(out, "data"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("part-00000.jsonl");
    }
    List<Row> back = spark.read().json(out + "/data").orderBy("id").collectAsList();
    assertThat(back).hasSize(5);
    Row c2 = back.get(1);
    List<Row> msgs = c2.getList(c2.fieldIndex("messages"));
    assertThat(msgs).hasSize(4);
    assertThat(msgs.get(1).<String>getAs("role")).isEqualTo("assistant");
    assertThat(msgs.get(1).<String>getAs("content")).isEqualTo("Hi there");
    String card = Files.readString(Path.of(out, "README.md"));
    assertThat(card)
        .contains("path: \"data/*.jsonl\"")
        .contains("| chat | 3 |")
        .contains("| gsm8k | 1 |")
        .contains("| Math | 1 |")
        .contains("| unlabeled | 3 |");
    assertThat(manifest(out + "/manifest.json").properties())
        .containsEntry("input_kind", "(plain table)");
    assertNoClutter(out);
  }

  @Test
  void wrongKindsFailBeforeSparkNamingTheCommandThatWritesTheRightOne() {
    Configuration conf = new Configuration();
    assertThatThrownBy(
            () -> ExportJob.checkInput(curated, "shards-rl", ExportConfig.defaults(), conf))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("it holds a 'conversation' dataset (written by gristmill curate)")
        .hasMessageContaining("Produce one with gristmill score")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(2));
    assertThatThrownBy(() -> ExportJob.checkInput(scored, "verl", ExportConfig.defaults(), conf))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("it holds a 'scored_rollout' dataset (written by gristmill score)")
        .hasMessageContaining("gristmill curate")
        .hasMessageContaining("gristmill value-model select")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(2));
    assertThatThrownBy(
            () -> ExportJob.checkInput(scored, "hf-jsonl", ExportConfig.defaults(), conf))
        .isInstanceOf(GristmillException.class)
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(2));
    assertThat(ExportJob.checkInput(gsm8k, "verl", ExportConfig.defaults(), conf).kind())
        .isEqualTo(DatasetKind.PROMPT_SET);
    assertThat(ExportJob.checkInput(scored, "shards-rl", ExportConfig.defaults(), conf).kind())
        .isEqualTo(DatasetKind.SCORED_ROLLOUT);
  }

  @Test
  void rlShardsOfAScoredSnapshotCarryAdvantagesTokensAndDifficulty() throws Exception {
    String out = out("rl");
    ExportSummary s =
        ExportJob.run(
            spark,
            scored,
            "shards-rl",
            out,
            new ExportConfig(new ShardWriteOptions(null, null, 2, 4, 3L), null, null, null));
    assertThat(s.rows()).isEqualTo(11);
    assertThat(s.rejected()).isEqualTo(1);
    Row rej = spark.read().parquet(out + "/rejected").collectAsList().get(0);
    assertThat(rej.<String>getAs("reason")).isEqualTo("no_token_ids");
    assertThat(rej.<String>getAs("id")).isEqualTo("p2/3");
    assertThat(rej.<String>getAs("source")).isEqualTo("openai/gsm8k");
    Map<String, String> advantage = new HashMap<>();
    try (ShardDataset ds = ShardDataset.open(Path.of(out), true);
        BatchIterator it = ds.epoch(ReaderOptions.sequential(8), ReaderState.start(0))) {
      while (it.hasNext()) {
        VectorSchemaRoot b = it.next();
        for (int r = 0; r < b.getRowCount(); r++) {
          String key =
              b.getVector("prompt_id").getObject(r)
                  + "/"
                  + b.getVector("sample_index").getObject(r);
          advantage.put(key, b.getVector("advantage").getObject(r).toString());
          assertThat(b.getVector("pass_rate").getObject(r).toString()).isEqualTo("0.5");
          assertThat(b.getVector("difficulty_bucket").getObject(r).toString()).isEqualTo("medium");
          if (key.equals("p1/2")) {
            assertThat(b.getVector("prompt_ids").getObject(r).toString()).isEqualTo("[11,12]");
            assertThat(b.getVector("response_ids").getObject(r).toString())
                .isEqualTo("[102,202,300]");
          }
        }
      }
    }
    assertThat(advantage).hasSize(11).containsEntry("p0/1", "1.0").containsEntry("p0/0", "-1.0");
    SnapshotManifest m = manifest(out + "/export_manifest.json");
    assertThat(m.kind()).isEqualTo("scored_rollout");
    assertThat(m.stages().get(0).rejected()).containsExactly(Map.entry("no_token_ids", 1L));
    assertThat(m.details()).anyMatch(d -> d.startsWith("pass_rate and difficulty_bucket from"));
  }

  @Test
  void unknownFormatAndMissingRlColumnsAreClearErrors() {
    assertThatThrownBy(
            () ->
                ExportJob.run(
                    spark, table, "csv", tmp.resolve("x").toString(), ExportConfig.defaults()))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot export: unknown format 'csv'. Expected one of: shards-sft, shards-rl,"
                + " shards-prompts, hf-jsonl, hf-parquet, verl.");
    assertThatThrownBy(
            () ->
                ExportJob.run(
                    spark,
                    table,
                    "shards-rl",
                    tmp.resolve("y").toString(),
                    ExportConfig.defaults()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining(
            "a 'scored_rollout' table needs column(s) prompt_id, sample_index, prompt_token_ids,"
                + " response_token_ids, response_logprobs, reward, advantage, which it lacks."
                + " gristmill score writes such tables.")
        .satisfies(t -> assertThat(exitCode(t)).isEqualTo(2));
  }
}
