package io.gristmill.bridge.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.bridge.ShardInspector;
import io.gristmill.bridge.read.BatchIterator;
import io.gristmill.bridge.read.ReaderOptions;
import io.gristmill.bridge.read.ReaderState;
import io.gristmill.bridge.read.ShardDataset;
import io.gristmill.bridge.sft.SftOptions;
import io.gristmill.bridge.shard.ShardWriteOptions;
import io.gristmill.core.GristmillException;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportJobTest extends SparkTestBase {
  @TempDir static Path tmp;
  static String snapshot;

  /** A small curated snapshot written by the test: 5 conversations. */
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
            List.of(
                Message.user("tell me a long story"),
                Message.assistant("once upon a time ".repeat(10).trim())),
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

  @BeforeAll
  static void writeSnapshot() {
    List<Row> rows = new ArrayList<>();
    for (Conversation c : conversations()) {
      rows.add(SparkSchemas.toRow(c));
    }
    Path snap = tmp.resolve("snapshot");
    spark
        .createDataFrame(rows, SparkSchemas.CONVERSATION)
        .write()
        .parquet(snap.resolve("data").toString());
    snapshot = snap.toString();
  }

  static ExportConfig config(String policy) throws Exception {
    String tok =
        Paths.get(ExportJobTest.class.getResource("/fixtures/tokenizer.json").toURI()).toString();
    return new ExportConfig(
        new ShardWriteOptions(null, null, 2, 2, 1L), new SftOptions(tok, 20, policy), null, null);
  }

  @Test
  void sftShardsCarryTokensAndAssistantOnlyMasks() throws Exception {
    String out = tmp.resolve("sft").toString();
    ExportSummary s = ExportJob.run(spark, snapshot, "shards-sft", out, config("skip"));
    assertThat(s.rows()).isEqualTo(3);
    assertThat(s.rejected()).isEqualTo(2);
    List<Row> rejected = spark.read().parquet(out + "/rejected").orderBy("id").collectAsList();
    assertThat(rejected).extracting(r -> r.getAs("id")).containsExactly("c3", "c4");
    assertThat(rejected.get(1).<String>getAs("detail"))
        .isEqualTo("over max_tokens: 49 tokens > 20");
    assertThat(rejected.get(0).<String>getAs("stage")).isEqualTo("export_sft");

    Map<String, List<Object>> masks = new HashMap<>();
    try (ShardDataset ds = ShardDataset.open(Path.of(out), true);
        BatchIterator it = ds.epoch(ReaderOptions.sequential(8), ReaderState.start(0))) {
      assertThat(ds.manifest().lineage().inputPath()).endsWith("snapshot/data");
      while (it.hasNext()) {
        VectorSchemaRoot b = it.next();
        for (int r = 0; r < b.getRowCount(); r++) {
          String id =
              new String(((VarCharVector) b.getVector("id")).get(r), StandardCharsets.UTF_8);
          masks.put(
              id, new ArrayList<Object>(((ListVector) b.getVector("loss_mask")).getObject(r)));
          if (id.equals("c1")) {
            // <|user|> solve the problem <|end|> <|assistant|> the answer is 72 . <|end|>
            assertThat(((ListVector) b.getVector("input_ids")).getObject(r).toString())
                .isEqualTo("[2,22,23,24,5,3,23,25,7,26,13,5]");
          }
        }
      }
    }
    assertThat(masks).containsOnlyKeys("c1", "c2", "c5");
    assertThat(masks.get("c1"))
        .containsExactly(
            (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 1, (byte) 1,
            (byte) 1, (byte) 1, (byte) 1, (byte) 1);
    String summary = ShardInspector.inspect(Path.of(out), true);
    assertThat(summary)
        .contains("kind: sft (schema v1")
        .contains("rows: 3 in 2 shards")
        .contains("all 2 verified");
  }

  @Test
  void truncatePolicyKeepsLongSamples() throws Exception {
    String out = tmp.resolve("sft-trunc").toString();
    ExportSummary s = ExportJob.run(spark, snapshot, "shards-sft", out, config("truncate"));
    assertThat(s.rows()).isEqualTo(4);
    assertThat(s.rejected()).isEqualTo(1);
    try (ShardDataset ds = ShardDataset.open(Path.of(out), false)) {
      assertThat(ds.manifest().tokens().maxPerRow()).isEqualTo(20);
    }
  }

  @Test
  void hfJsonlHasMessagesAndADatasetCard() throws Exception {
    String out = tmp.resolve("hf").toString();
    ExportSummary s = ExportJob.run(spark, snapshot, "hf-jsonl", out, ExportConfig.defaults());
    assertThat(s.rows()).isEqualTo(5);
    List<Row> back = spark.read().json(out + "/data").orderBy("id").collectAsList();
    assertThat(back).hasSize(5);
    Row c2 = back.get(1);
    List<Row> msgs = c2.getList(c2.fieldIndex("messages"));
    assertThat(msgs).hasSize(4);
    assertThat(msgs.get(1).<String>getAs("role")).isEqualTo("assistant");
    assertThat(msgs.get(1).<String>getAs("content")).isEqualTo("Hi there");
    String card = Files.readString(Path.of(out, "README.md"));
    assertThat(card)
        .contains("path: \"data/*.json\"")
        .contains("| chat | 3 |")
        .contains("| gsm8k | 1 |")
        .contains("| Math | 1 |")
        .contains("| unlabeled | 3 |");
  }

  @Test
  void hfParquetRoundTrips() throws Exception {
    String out = tmp.resolve("hfp").toString();
    ExportSummary s = ExportJob.run(spark, snapshot, "hf-parquet", out, ExportConfig.defaults());
    assertThat(s.files()).isPositive();
    assertThat(spark.read().parquet(out + "/data").count()).isEqualTo(5);
    assertThat(Files.readString(Path.of(out, "README.md"))).contains("data/*.parquet");
  }

  @Test
  void verlHasPromptGroundTruthAndIndex() throws Exception {
    String out = tmp.resolve("verl").toString();
    ExportSummary s = ExportJob.run(spark, snapshot, "verl", out, ExportConfig.defaults());
    assertThat(s.rows()).isEqualTo(2);
    assertThat(s.rejected()).isEqualTo(3);
    List<Row> rows =
        spark.read().parquet(out + "/train.parquet").orderBy("extra_info.index").collectAsList();
    assertThat(rows).hasSize(2);
    Row gsm = rows.get(0);
    assertThat(gsm.<String>getAs("data_source")).isEqualTo("gsm8k");
    assertThat(gsm.<String>getAs("ability")).isEqualTo("math");
    assertThat(gsm.<Row>getAs("reward_model").<String>getAs("ground_truth")).isEqualTo("72");
    assertThat(gsm.<Row>getAs("reward_model").<String>getAs("style")).isEqualTo("rule");
    assertThat(gsm.<Row>getAs("extra_info").<Long>getAs("index")).isZero();
    List<Row> prompt = gsm.getList(gsm.fieldIndex("prompt"));
    assertThat(prompt).hasSize(1);
    assertThat(prompt.get(0).<String>getAs("content")).isEqualTo("Solve the problem");
    Row math = rows.get(1);
    assertThat(math.getList(math.fieldIndex("prompt"))).hasSize(2);
    assertThat(math.<Row>getAs("extra_info").<Long>getAs("index")).isEqualTo(1L);
    assertThat(math.<Row>getAs("extra_info").<String>getAs("split")).isEqualTo("train");
  }

  @Test
  void unknownFormatAndMissingRlColumnsAreClearErrors() {
    assertThatThrownBy(
            () ->
                ExportJob.run(
                    spark, snapshot, "csv", tmp.resolve("x").toString(), ExportConfig.defaults()))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot export: unknown format 'csv'. Expected one of: shards-sft, shards-rl,"
                + " shards-prompts, hf-jsonl, hf-parquet, verl.");
    assertThatThrownBy(
            () ->
                ExportJob.run(
                    spark,
                    snapshot,
                    "shards-rl",
                    tmp.resolve("y").toString(),
                    ExportConfig.defaults()))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("lacks column(s) prompt_id, sample_index, data_source");
  }
}
