package io.gristmill.bridge.js;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.bridge.export.ExportConfig;
import io.gristmill.bridge.export.ExportJob;
import io.gristmill.bridge.export.ExportSummary;
import io.gristmill.bridge.read.BatchIterator;
import io.gristmill.bridge.read.ReaderOptions;
import io.gristmill.bridge.read.ReaderState;
import io.gristmill.bridge.read.ShardDataset;
import io.gristmill.bridge.sft.SftFixtures;
import io.gristmill.bridge.shard.ShardFixtures;
import io.gristmill.bridge.shard.ShardManifest;
import io.gristmill.bridge.shard.ShardWriteOptions;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.NodeReaders;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Every shard and export a test writes here is read back by independent implementations: Arrow JS
 * for shards, DuckDB for the verl Parquet; counts, schema and values must match the Java side.
 */
class IndependentReadersTest extends SparkTestBase {
  @TempDir Path tmp;

  static final StructType RL_ROWS =
      new StructType()
          .add("prompt_id", DataTypes.StringType, false)
          .add("sample_index", DataTypes.IntegerType, false)
          .add("data_source", DataTypes.StringType, false)
          .add("prompt_token_ids", DataTypes.createArrayType(DataTypes.IntegerType, false))
          .add("response_token_ids", DataTypes.createArrayType(DataTypes.IntegerType, false))
          .add("response_logprobs", DataTypes.createArrayType(DataTypes.FloatType, false))
          .add("reward", DataTypes.DoubleType, false)
          .add("advantage", DataTypes.DoubleType, false)
          .add("pass_rate", DataTypes.DoubleType, true)
          .add("difficulty_bucket", DataTypes.StringType, true);

  static Object seq(List<?> l) {
    return CollectionConverters.asScala(l).toSeq();
  }

  /** Java-side rows of a shard directory, keyed by the first column plus the second. */
  static Map<String, Map<String, Object>> javaRows(Path dir) {
    Map<String, Map<String, Object>> out = new HashMap<>();
    try (ShardDataset ds = ShardDataset.open(dir, true);
        BatchIterator it = ds.epoch(ReaderOptions.sequential(7), ReaderState.start(0))) {
      while (it.hasNext()) {
        VectorSchemaRoot b = it.next();
        for (int r = 0; r < b.getRowCount(); r++) {
          Map<String, Object> row = new HashMap<>();
          for (FieldVector v : b.getFieldVectors()) {
            Object o = v.getObject(r);
            row.put(v.getName(), o == null ? null : o.toString());
          }
          out.put(row.get(b.getVector(0).getName()) + "|" + row.get(b.getVector(1).getName()), row);
        }
      }
    }
    return out;
  }

  static void assertSameRows(
      JsonNode js, Map<String, Map<String, Object>> java, String k0, String k1) {
    assertThat(js.get("rows").size()).isEqualTo(java.size());
    for (JsonNode r : js.get("rows")) {
      Map<String, Object> j = java.get(r.get(k0).asText() + "|" + r.get(k1).asText());
      assertThat(j).as("row %s", r).isNotNull();
      r.fields()
          .forEachRemaining(
              e -> {
                Object jv = j.get(e.getKey());
                if (e.getValue().isNull()) {
                  assertThat(jv).as(e.getKey()).isNull();
                } else if (e.getValue().isArray()) {
                  assertThat(e.getValue().toString().replace(".0,", ",").replace(".0]", "]"))
                      .as(e.getKey())
                      .isEqualTo(
                          jv.toString().replace(" ", "").replace(".0,", ",").replace(".0]", "]"));
                } else if (e.getValue().isNumber()) {
                  assertThat(e.getValue().asDouble())
                      .as(e.getKey())
                      .isEqualTo(Double.parseDouble(jv.toString()));
                } else {
                  assertThat(e.getValue().asText()).as(e.getKey()).isEqualTo(jv);
                }
              });
    }
  }

  @Test
  void arrowJsReadsSftShards() throws Exception {
    NodeReaders.require();
    Path dir = tmp.resolve("sft");
    ShardManifest m = ShardFixtures.writeSft(spark, dir, 40, 3, 2, 6);
    JsonNode js = NodeReaders.run("read-shards.mjs", dir.toString());
    assertThat(js.get("kind").asText()).isEqualTo("sft");
    assertThat(js.get("manifest_rows").asLong()).isEqualTo(40);
    assertThat(js.get("shards").size()).isEqualTo(m.shards().size());
    JsonNode schema = js.get("shards").get(0).get("schema");
    assertThat(schema.findValuesAsText("name"))
        .containsExactly("id", "source", "input_ids", "loss_mask", "num_tokens");
    assertThat(schema.get(2).get("type").asText()).isEqualTo("List<Int32>");
    assertThat(schema.get(3).get("type").asText()).isEqualTo("List<Int8>");
    assertThat(js.get("shards").get(0).get("metadata").get("gristmill.shard_kind").asText())
        .isEqualTo("sft");
    assertSameRows(js, javaRows(dir), "id", "source");
  }

  @Test
  void arrowJsReadsExportedSftShardsOfTheModelsChatTemplate() throws Exception {
    NodeReaders.require();
    Path model = SftFixtures.tinyModel(tmp.resolve("model"));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rows.add(
          SparkSchemas.toRow(
              new Conversation(
                  "s" + i,
                  "chat",
                  List.of(Message.user("Question " + i + " ?"), Message.assistant("Answer " + i)),
                  null,
                  "{}")));
    }
    Path snap = tmp.resolve("sft-in");
    spark.createDataFrame(rows, SparkSchemas.CONVERSATION).write().parquet(snap.toString());
    Path out = tmp.resolve("sft-out");
    ExportConfig cfg =
        new ExportConfig(
            new ShardWriteOptions(null, null, 2, 4, 5L),
            SftFixtures.options(model, 4096, "skip"),
            null,
            null);
    ExportSummary s = ExportJob.run(spark, snap.toString(), "shards-sft", out.toString(), cfg);
    assertThat(s.rows()).isEqualTo(12);
    JsonNode js = NodeReaders.run("read-shards.mjs", out.toString());
    assertThat(js.get("kind").asText()).isEqualTo("sft");
    assertThat(js.get("manifest_rows").asLong()).isEqualTo(12);
    assertSameRows(js, javaRows(out), "id", "source");
  }

  @Test
  void arrowJsReadsRlShards() throws Exception {
    NodeReaders.require();
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      for (int s = 0; s < 4; s++) {
        rows.add(
            RowFactory.create(
                "p" + p,
                s,
                p % 2 == 0 ? "gsm8k" : "math",
                seq(List.of(p, p + 1, p + 2)),
                seq(List.of(100 + s, 200 + s)),
                seq(List.of(-0.5f * (s + 1), -0.25f)),
                (double) (s % 2),
                s - 1.5,
                p == 0 ? null : 0.5,
                p == 0 ? null : "intermediate"));
      }
    }
    Path snap = tmp.resolve("rollouts");
    spark.createDataFrame(rows, RL_ROWS).write().parquet(snap.resolve("data").toString());
    Path out = tmp.resolve("rl");
    ExportConfig cfg =
        new ExportConfig(new ShardWriteOptions(null, null, 2, 5, 3L), null, null, null);
    ExportSummary s =
        ExportJob.run(spark, snap.resolve("data").toString(), "shards-rl", out.toString(), cfg);
    assertThat(s.rows()).isEqualTo(24);
    JsonNode js = NodeReaders.run("read-shards.mjs", out.toString());
    assertThat(js.get("kind").asText()).isEqualTo("rl");
    JsonNode schema = js.get("shards").get(0).get("schema");
    assertThat(schema.findValuesAsText("name"))
        .containsExactly(
            "prompt_id",
            "sample_index",
            "data_source",
            "prompt_ids",
            "response_ids",
            "response_logprobs",
            "reward",
            "advantage",
            "pass_rate",
            "difficulty_bucket");
    assertThat(schema.get(5).get("type").asText()).isEqualTo("List<Float32>");
    assertSameRows(js, javaRows(out), "prompt_id", "sample_index");
    JsonNode p3s2 = null;
    for (JsonNode r : js.get("rows")) {
      if (r.get("prompt_id").asText().equals("p3") && r.get("sample_index").asInt() == 2) {
        p3s2 = r;
      }
    }
    assertThat(p3s2).isNotNull();
    assertThat(p3s2.get("response_ids").toString()).isEqualTo("[102,202]");
    assertThat(p3s2.get("response_logprobs").get(0).asDouble()).isEqualTo(-1.5);
    assertThat(p3s2.get("advantage").asDouble()).isEqualTo(0.5);
    assertThat(p3s2.get("difficulty_bucket").asText()).isEqualTo("intermediate");
  }

  @Test
  void duckDbReadsVerlParquetWithNestedFields() throws Exception {
    NodeReaders.require();
    List<Row> rows = new ArrayList<>();
    // As curate keeps a GSM8K row: the answer in the ground_truth column, metadata {}.
    rows.add(
        SparkSchemas.toRow(
            new Conversation(
                "b",
                "gsm8k_test",
                List.of(Message.user("Tom has 3 apples..."), Message.assistant("... #### 5")),
                "12",
                "{}",
                "openai/gsm8k",
                "5",
                "test.jsonl",
                12)));
    rows.add(
        SparkSchemas.toRow(
            new Conversation(
                "a",
                "math",
                List.of(Message.system("Think."), Message.user("What is 1/2 + 1/2?")),
                null,
                "{\"answer\":\"1\",\"level\":\"Level 1\"}")));
    rows.add(
        SparkSchemas.toRow(
            new Conversation(
                "c", "chat", List.of(Message.user("hi"), Message.assistant("hello")), null, "{}")));
    Path snap = tmp.resolve("snap");
    spark
        .createDataFrame(rows, SparkSchemas.CONVERSATION)
        .write()
        .parquet(snap.resolve("data").toString());
    Path out = tmp.resolve("verl");
    ExportSummary s =
        ExportJob.run(
            spark,
            snap.resolve("data").toString(),
            "verl",
            out.toString(),
            ExportConfig.defaults());
    assertThat(s.rows()).isEqualTo(2);
    JsonNode js =
        NodeReaders.run(
            "read-parquet.mjs", out.resolve("train.parquet").toString(), "extra_info.index");
    Map<String, String> types = new HashMap<>();
    js.get("columns").forEach(c -> types.put(c.get("name").asText(), c.get("type").asText()));
    assertThat(types)
        .containsOnlyKeys("data_source", "prompt", "ability", "reward_model", "extra_info");
    assertThat(types.get("prompt")).isEqualTo("STRUCT(\"role\" VARCHAR, \"content\" VARCHAR)[]");
    assertThat(types.get("reward_model")).isEqualTo("STRUCT(style VARCHAR, ground_truth VARCHAR)");
    assertThat(types.get("extra_info"))
        .isEqualTo("STRUCT(split VARCHAR, \"index\" BIGINT, id VARCHAR, original_id VARCHAR)");
    JsonNode first = js.get("rows").get(0);
    assertThat(first.get("data_source").asText()).isEqualTo("math");
    assertThat(first.get("prompt").size()).isEqualTo(2);
    assertThat(first.get("prompt").get(1).get("content").asText()).isEqualTo("What is 1/2 + 1/2?");
    assertThat(first.get("reward_model").get("ground_truth").asText()).isEqualTo("1");
    assertThat(first.get("extra_info").get("index").asText()).isEqualTo("0");
    JsonNode second = js.get("rows").get(1);
    assertThat(second.get("reward_model").get("ground_truth").asText()).isEqualTo("5");
    assertThat(second.get("data_source").asText()).isEqualTo("openai/gsm8k");
    assertThat(second.get("extra_info").get("id").asText()).isEqualTo("b");
    assertThat(second.get("extra_info").get("original_id").asText()).isEqualTo("12");
    assertThat(second.get("ability").asText()).isEqualTo("math");
    assertThat(second.get("prompt").size()).isEqualTo(1);
    assertThat(second.get("extra_info").get("split").asText()).isEqualTo("train");
  }

  @Test
  void promptShardsKeepChatTurnsForArrowJsAndTheShuffledJavaReader() throws Exception {
    NodeReaders.require();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      List<Message> turns =
          i % 3 == 0
              ? List.of(
                  Message.system("Be brief."),
                  Message.user("Q" + i + " héllo"),
                  Message.assistant("A" + i))
              : List.of(Message.user("Q" + i));
      String meta = i % 2 == 0 ? "{\"answer\":\"" + i + "\",\"difficulty\":0.25}" : "{}";
      rows.add(
          SparkSchemas.toRow(
              new Conversation("p" + (100 + i), "src" + (i % 2), turns, null, meta)));
    }
    rows.add(
        SparkSchemas.toRow(
            new Conversation("x", "s", List.of(Message.assistant("only")), null, "{}")));
    Path snap = tmp.resolve("psnap");
    spark
        .createDataFrame(rows, SparkSchemas.CONVERSATION)
        .write()
        .parquet(snap.resolve("data").toString());
    Path out = tmp.resolve("prompts");
    ExportConfig cfg =
        new ExportConfig(new ShardWriteOptions(null, null, 3, 4, 9L), null, null, null);
    ExportSummary s =
        ExportJob.run(
            spark, snap.resolve("data").toString(), "shards-prompts", out.toString(), cfg);
    // Rows without a ground truth (odd i) and without a prompt turn (x) are rejected and counted.
    assertThat(s.rows()).isEqualTo(15);
    assertThat(s.rejected()).isEqualTo(16);

    JsonNode js = NodeReaders.run("read-shards.mjs", out.toString());
    assertThat(js.get("kind").asText()).isEqualTo("prompts");
    JsonNode schema = js.get("shards").get(0).get("schema");
    assertThat(schema.findValuesAsText("name"))
        .containsExactly(
            "prompt_id",
            "data_source",
            "prompt",
            "ground_truth",
            "difficulty",
            "curriculum_weight");
    Map<String, JsonNode> byId = new HashMap<>();
    js.get("rows").forEach(r -> byId.put(r.get("prompt_id").asText(), r));
    assertThat(byId).hasSize(15);
    JsonNode p6 = byId.get("p106");
    assertThat(p6.get("prompt").toString())
        .isEqualTo(
            "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Q6 h\u00e9llo\"}]");
    assertThat(p6.get("ground_truth").asText()).isEqualTo("6");
    assertThat(p6.get("curriculum_weight").asDouble()).isEqualTo(1.0);
    assertThat(byId).doesNotContainKey("p103");
    JsonNode p4 = byId.get("p104");
    assertThat(p4.get("ground_truth").asText()).isEqualTo("4");
    assertThat(p4.get("difficulty").asDouble()).isEqualTo(0.25);

    Map<String, String> javaPrompts = new HashMap<>();
    try (ShardDataset ds = ShardDataset.open(out, true);
        BatchIterator it = ds.epoch(new ReaderOptions(0, 1, 5, true, 7, 4), ReaderState.start(0))) {
      while (it.hasNext()) {
        VectorSchemaRoot b = it.next();
        for (int r = 0; r < b.getRowCount(); r++) {
          javaPrompts.put(
              b.getVector("prompt_id").getObject(r).toString(),
              b.getVector("prompt").getObject(r).toString());
        }
      }
    }
    assertThat(javaPrompts).hasSize(15);
    assertThat(javaPrompts.get("p106"))
        .isEqualTo(
            "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Q6 héllo\"}]");
    assertThat(javaPrompts.get("p104")).isEqualTo("[{\"role\":\"user\",\"content\":\"Q4\"}]");
  }
}
