package io.gristmill.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.stage.StageReport;
import io.gristmill.core.testing.SparkTestBase;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The numbers {@link ReportSpark} computes, on hand-made tables whose counts are known. */
class ReportSparkTest extends SparkTestBase {
  private static final String MATCH = "array<struct<benchmark:string,item:string,overlap:double>>";

  private static String msgs(String user, String assistant) {
    return String.format(
        "array(named_struct('role','user','content','%s'),"
            + " named_struct('role','assistant','content','%s'))",
        user, assistant);
  }

  private static Dataset<Row> annotated() {
    String none = "CAST(array() AS " + MATCH + ")";
    String mmlu =
        "CAST(array(named_struct('benchmark','mmlu','item','q7','overlap',1.0D)) AS " + MATCH + ")";
    return spark.sql(
        "SELECT * FROM VALUES "
            + "('a','chat',"
            + msgs("hello there", "hi")
            + ",2L,10L,20L,'en','excellent','Math',0.0D,"
            + none
            + "),"
            + "('b','chat',"
            + msgs("two", "x")
            + ",2L,1L,2L,'en','good','Math',1.0D,"
            + none
            + "),"
            + "('c','web',"
            + msgs("three", "y")
            + ",4L,50L,50L,'de','excellent','Coding',0.5D,"
            + mmlu
            + "),"
            + "('d','web',"
            + msgs("four", "z")
            + ",1L,0L,0L,NULL,'poor','Math',NULL,"
            + none
            + ")"
            + " AS t(id, source, messages, turns_total, tokens_user, tokens_assistant, language,"
            + " input_quality, task_category, reward, contamination)");
  }

  private static Dataset<Row> rejected() {
    String contaminated =
        "'matches benchmark items [{\"benchmark\":\"gsm8k\",\"item\":\"1\",\"overlap\":1.0},"
            + "{\"benchmark\":\"gsm8k\",\"item\":\"2\",\"overlap\":0.9},"
            + "{\"benchmark\":\"mmlu\",\"item\":\"x\",\"overlap\":1.0}]'";
    return spark.sql(
        "SELECT * FROM VALUES "
            + "('exact_dedup','exact_duplicate','chat','a',NULL),"
            + "('exact_dedup','exact_duplicate','chat','a',NULL),"
            + "('exact_dedup','exact_duplicate','web','c',NULL),"
            + "('near_dedup','near_duplicate','web','c',NULL),"
            + "('decontamination','contaminated','web','gsm8k:1',"
            + contaminated
            + "),"
            + "('decontamination','contaminated','chat','gsm8k:7',"
            + "'matches benchmark items [{\"benchmark\":\"gsm8k\",\"item\":\"7\",\"overlap\":1.0}]'),"
            + "('mix','mix_filter:quality','chat',NULL,NULL),"
            + "('ingest','malformed_json','web',NULL,'line 3')"
            + " AS t(stage, reason, source, duplicate_of, detail)");
  }

  private static ReportSpark.Meta meta(Map<String, Object> properties) {
    return new ReportSpark.Meta(
        ReportFixtures.snapshot(),
        null,
        List.of(
            new StageReport("ingest", 12, 11, Map.of("malformed_json", 1L), 0.1),
            new StageReport("exact_dedup", 11, 8, Map.of("exact_duplicate", 3L), 0.1),
            new StageReport("near_dedup", 8, 7, Map.of("near_duplicate", 1L), 0.1),
            new StageReport("decontamination", 7, 5, Map.of("contaminated", 2L), 0.1),
            new StageReport("mix", 5, 4, Map.of("mix_filter:quality", 1L), 0.1)),
        List.of("a detail line"),
        properties);
  }

  @Test
  void countsPerSourceStageReasonClusterAndBenchmark() {
    ReportNumbers n =
        ReportSpark.compute(
            annotated(),
            rejected(),
            meta(Map.of(ReportSpark.CATEGORY_BEFORE_PROPERTY, Map.of("Math", 5, "Planning", 1))));
    assertThat(n.totals()).isEqualTo(new ReportNumbers.Totals(12, 4, 8));
    assertThat(n.sources())
        .containsExactly(
            new ReportNumbers.SourceCount("chat", 6, 2),
            new ReportNumbers.SourceCount("web", 6, 2));
    assertThat(n.exclusions())
        .containsExactly(
            new ReportNumbers.Exclusion("ingest", "malformed_json", "", 1),
            new ReportNumbers.Exclusion("exact_dedup", "exact_duplicate", "", 3),
            new ReportNumbers.Exclusion("near_dedup", "near_duplicate", "", 1),
            new ReportNumbers.Exclusion("decontamination", "contaminated", "", 2),
            new ReportNumbers.Exclusion("mix", "mix_filter:quality", "quality", 1));
    assertThat(n.dedupClusters())
        .containsExactly(
            new ReportNumbers.ClusterSizes(
                "exact_dedup",
                2,
                3,
                List.of(new ReportNumbers.Bin("2", 1), new ReportNumbers.Bin("3", 1))),
            new ReportNumbers.ClusterSizes(
                "near_dedup", 1, 1, List.of(new ReportNumbers.Bin("2", 1))));
    assertThat(n.contamination())
        .containsExactly(
            new ReportNumbers.BenchmarkCount("gsm8k", 2, 0),
            new ReportNumbers.BenchmarkCount("mmlu", 1, 1));
    assertThat(n.categories())
        .containsExactly(
            new ReportNumbers.CategoryCount("Math", 5L, 3),
            new ReportNumbers.CategoryCount("Coding", null, 1),
            new ReportNumbers.CategoryCount("Planning", 1L, 0));
    assertThat(n.stages())
        .extracting(ReportNumbers.StageRow::rejected)
        .containsExactly(1L, 3L, 1L, 2L, 1L);
  }

  @Test
  void histogramsOfTheAnnotationColumns() {
    ReportNumbers n = ReportSpark.compute(annotated(), rejected(), meta(Map.of()));
    Map<String, ReportNumbers.Histogram> h =
        n.histograms().stream()
            .collect(java.util.stream.Collectors.toMap(ReportNumbers.Histogram::name, x -> x));
    assertThat(h.keySet())
        .containsExactlyInAnyOrder("turns", "tokens", "language", "input_quality", "reward");
    assertThat(h.get("turns").bins())
        .containsExactly(
            new ReportNumbers.Bin("1", 1),
            new ReportNumbers.Bin("2", 2),
            new ReportNumbers.Bin("3", 0),
            new ReportNumbers.Bin("4", 1));
    // Token totals 30, 3, 100, 0 in power-of-two bins.
    assertThat(h.get("tokens").bins())
        .extracting(ReportNumbers.Bin::count)
        .containsExactly(1L, 0L, 1L, 0L, 1L, 0L, 1L);
    assertThat(h.get("tokens").bins().get(2).label()).isEqualTo("3–6");
    assertThat(h.get("language").bins())
        .containsExactly(new ReportNumbers.Bin("en", 2), new ReportNumbers.Bin("de", 1));
    assertThat(h.get("language").nulls()).isEqualTo(1);
    // Magpie's scale order, not frequency order.
    assertThat(h.get("input_quality").bins())
        .extracting(ReportNumbers.Bin::label)
        .containsExactly("poor", "good", "excellent");
    ReportNumbers.Histogram reward = h.get("reward");
    assertThat(reward.bins()).hasSize(Histograms.NUMERIC_BINS);
    assertThat(reward.bins().get(0).count()).isEqualTo(1);
    assertThat(reward.bins().get(10).count()).isEqualTo(1);
    assertThat(reward.bins().get(19).count()).isEqualTo(1);
    assertThat(reward.nulls()).isEqualTo(1);
    assertThat(n.notes()).anyMatch(s -> s.contains("absent") && s.contains("judge_score"));
  }

  @Test
  void theMixStagesResolvedLineGivesCategoriesBeforeAndTheRecipeNumbers() {
    ReportSpark.Meta m = meta(Map.of());
    ReportSpark.Meta withMix =
        new ReportSpark.Meta(
            m.snapshot(),
            m.config(),
            m.stages(),
            List.of(
                "mix: 5 rows in",
                ReportSpark.RESOLVED_PREFIX
                    + "{\"thresholds\":{\"Q2e\":0.5},\"rowsInByTaskCategory\":{\"Math\":4,\"Coding\":1}}"),
            m.properties());
    ReportNumbers n = ReportSpark.compute(annotated(), null, withMix);
    assertThat(n.resolved().get("thresholds").get("Q2e").asDouble()).isEqualTo(0.5);
    assertThat(n.details()).containsExactly("mix: 5 rows in");
    assertThat(n.categories())
        .containsExactly(
            new ReportNumbers.CategoryCount("Math", 4L, 3),
            new ReportNumbers.CategoryCount("Coding", 1L, 1));
  }

  @Test
  void showPrintsMatchingRowsInIdOrderWithTheirTags() {
    String text = RowSample.render(annotated(), "T", "source = 'web' OR id = 'b'", 2, 20);
    assertThat(text)
        .startsWith("T where source = 'web' OR id = 'b': 3 rows; showing 2, in id order");
    assertThat(text)
        .contains("[1] id=b source=chat turns=2")
        .contains("[2] id=c source=web turns=2");
    assertThat(text).doesNotContain("id=d");
    assertThat(text).contains("tags: turns_total=4 tokens_user=50").contains("language=de");
    assertThat(text).contains("contamination=[[mmlu,q7,1.000]]");
  }

  @Test
  void showOfRejectedRowsAndABadExpression() {
    String text = RowSample.render(rejected(), "R", "stage = 'mix'", 5, 40);
    assertThat(text).contains("1 rows").contains("user: (none)");
    assertThat(text).contains("tags: stage=mix reason=mix_filter:quality");
    io.gristmill.core.GristmillException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.gristmill.core.GristmillException.class,
            () -> RowSample.render(rejected(), "R", "no_such_column > 1", 5, 40));
    assertThat(e.kind()).isEqualTo(io.gristmill.core.GristmillException.Kind.CONFIG);
    assertThat(e.getMessage())
        .contains("--where")
        .contains("no_such_column")
        .contains("stage, reason");
  }

  @Test
  void snapshotWithoutAnnotationsOrRejectedRows() {
    Dataset<Row> plain =
        spark.sql(
            "SELECT * FROM VALUES ('a','chat',"
                + msgs("abc", "de")
                + "), ('b','chat',"
                + msgs("x", "")
                + ") AS t(id, source, messages)");
    ReportNumbers n = ReportSpark.compute(plain, null, meta(Map.of()));
    assertThat(n.totals()).isEqualTo(new ReportNumbers.Totals(2, 2, 0));
    assertThat(n.categories()).isEmpty();
    assertThat(n.exclusions()).isEmpty();
    assertThat(n.contamination()).isEmpty();
    assertThat(n.histograms())
        .extracting(ReportNumbers.Histogram::name)
        .containsExactly("turns", "chars");
    // 5 and 1 characters: bins 0, 1–2, 3–6.
    assertThat(n.histograms().get(1).bins())
        .extracting(ReportNumbers.Bin::count)
        .containsExactly(0L, 1L, 1L);
    assertThat(n.notes())
        .anyMatch(s -> s.contains("no rejected/"))
        .anyMatch(s -> s.contains("characters are shown instead of tokens"));
    ReportHtml.render(n); // renders without the optional parts
  }
}
