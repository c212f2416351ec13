package io.gristmill.curation.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.config.ConfigLoader;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The mixer's rules, checked exactly on small fixtures with hand-computed results. */
class MixSparkStageTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("messages", SparkSchemas.MESSAGES, false)
          .add("file", DataTypes.StringType, true)
          .add("line", DataTypes.LongType, true)
          .add("multi_turn", DataTypes.BooleanType, false)
          .add("input_quality", DataTypes.StringType, true)
          .add("judge_score", DataTypes.DoubleType, true)
          .add("reward", DataTypes.DoubleType, true)
          .add("task_category", DataTypes.StringType, true);

  private static Row row(
      String id, String cat, String quality, boolean multi, Double score, Double reward) {
    return RowFactory.create(
        id,
        "src",
        scala.jdk.javaapi.CollectionConverters.asScala(
                List.of(RowFactory.create("user", "q " + id)))
            .toSeq(),
        "f.jsonl",
        1L,
        multi,
        quality,
        score,
        reward,
        cat);
  }

  /** The mix section of conf/mixtures/tulutalk.yaml, the recipe the acceptance run uses. */
  private static MixConfig tulutalk() throws Exception {
    Path p = Path.of("../conf/mixtures/tulutalk.yaml");
    JsonNode tree = ConfigLoader.yamlMapper().readTree(Files.readString(p));
    return ConfigLoader.yamlMapper().treeToValue(tree.get("mix"), MixConfig.class);
  }

  @Test
  void tuluTalkRulesExactly() throws Exception {
    String math = "Math";
    String code = "Coding & Debugging";
    List<Row> rows =
        List.of(
            // Single-turn excellent, rewards 1..5: Q1e = 2.0, Q2e = 3.0 (linear percentiles).
            row("e1", math, "excellent", false, 3.0, 1.0),
            row("e2", math, "excellent", false, 3.0, 2.0),
            row("e3", math, "excellent", false, 3.0, 3.0),
            row("e4", code, "excellent", false, 3.0, 4.0),
            row("e5", code, "excellent", false, 3.0, 5.0),
            // Single-turn good, rewards 1..4: Q3g = 3 + 0.25 * (4 - 3) = 3.25.
            row("g1", math, "good", false, 3.0, 1.0),
            row("g2", math, "good", false, 3.0, 2.0),
            row("g3", code, "good", false, 3.0, 3.0),
            row("g4", math, "good", false, 3.0, 4.0),
            // Multi-turn with judge scores; their rewards must not enter the thresholds.
            row("m1", code, "excellent", true, 5.0, 100.0),
            row("m2", math, "excellent", true, 4.0, -100.0),
            row("m3", code, "excellent", true, 4.0, 100.0),
            row("m4", math, "good", true, 5.0, -100.0),
            row("m5", code, "good", true, 5.0, 100.0),
            row("p1", code, "poor", false, 3.0, 9.0));
    Dataset<Row> in = spark.createDataFrame(rows, SCHEMA);
    MixSparkStage.Result r = MixSparkStage.run(in, tulutalk());
    assertEquals(2.0, r.resolved().thresholds().get("Q1e"), 1e-12);
    assertEquals(3.0, r.resolved().thresholds().get("Q2e"), 1e-12);
    assertEquals(3.25, r.resolved().thresholds().get("Q3g"), 1e-12);
    // Kept by the rule: excellent and (multi score 5 | single reward > Q2e) = e4, e5, m1: all
    // Coding. Math's share fell from 8/15 to 0 (flagged); Coding's rose (not flagged).
    assertEquals(1.0, r.resolved().addBack().get(math).get("flagged"));
    assertEquals(0.0, r.resolved().addBack().get(code).get("flagged"));
    assertEquals(8.0 / 15.0, r.resolved().addBack().get(math).get("share_in"), 1e-12);
    // Add-back for Math: excellent multi score 4 (m2), excellent single reward in [2, 3] (e2, e3),
    // good multi score 5 (m4), good single reward > 3.25 (g4). Not e1 (1 < Q1e), g1, g2; not m3 or
    // g3 (Coding is not flagged).
    TreeSet<String> kept = new TreeSet<>();
    for (Row k : r.kept().select("id").collectAsList()) {
      kept.add(k.getString(0));
    }
    assertEquals(new TreeSet<>(List.of("e4", "e5", "m1", "e2", "e3", "m2", "m4", "g4")), kept);
    Map<String, String> rejected = new TreeMap<>();
    for (Row k : r.rejected().select("id", "reason", "stage").collectAsList()) {
      rejected.put(k.getString(0), k.getString(1));
      assertEquals("mix", k.getString(2));
    }
    assertEquals(
        new TreeSet<>(List.of("e1", "g1", "g2", "g3", "m3", "m5", "p1")), rejected.keySet());
    assertTrue(
        rejected.values().stream().allMatch("mix_filter:tulutalk_keep"::equals),
        rejected.toString());
    assertEquals(15, r.rowsIn());
    assertEquals(8, r.keptDistinct());
  }

  private Dataset<Row> plain(int n, String source, String cat) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(row(source + i, cat, "good", false, 3.0, (double) i));
    }
    return spark
        .createDataFrame(rows, SCHEMA)
        .withColumn("source", org.apache.spark.sql.functions.lit(source));
  }

  @Test
  void quotasUpsampleCapsAndTotal() {
    Dataset<Row> in = plain(4, "a", "Math").unionByName(plain(10, "b", "Coding & Debugging"));
    MixConfig cfg =
        new MixConfig(
            null,
            3L,
            null,
            null,
            List.of(new MixConfig.Filter("reward_ok", "reward >= 1")),
            null,
            Map.of(
                "a",
                new MixConfig.Quota(null, 2.5, null),
                "b",
                new MixConfig.Quota(5L, null, null)),
            null,
            Map.of("Coding & Debugging", 4.0),
            new MixConfig.Target(9L, null, null));
    MixSparkStage.Result r = MixSparkStage.run(in, cfg);
    // a: 3 rows pass (a1..a3), quota round(2.5 * 3) = 8 = 2 whole repeats + 2 seeded extras.
    assertEquals(8L, r.resolved().quotaBySource().get("a"));
    // b: 9 pass, 5 picked, then capped to 4; total 8 + 4 = 12 > 9, so 3 cut by mix_total.
    long total = r.kept().count();
    assertEquals(9, total);
    Map<String, Long> byRule = r.resolved().rejectedByRule();
    assertEquals(2L, byRule.get("mix_filter:reward_ok"), byRule.toString()); // a0, b0
    assertEquals(4L, byRule.get("mix_quota:b"), byRule.toString());
    assertEquals(
        r.rowsIn(), r.keptDistinct() + byRule.values().stream().mapToLong(Long::longValue).sum());
    // Deterministic: the same recipe gives the same ids.
    List<String> first =
        r.kept()
            .select("id")
            .orderBy("id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    List<String> again =
        MixSparkStage.run(in, cfg)
            .kept()
            .select("id")
            .orderBy("id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertEquals(first, again);
  }
}
