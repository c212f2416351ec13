package io.gristmill.curation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.stage.Pipeline;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageReport;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.curation.dedup.exact.ExactDedupConfig;
import io.gristmill.curation.dedup.near.NearDedupConfig;
import io.gristmill.curation.ingest.Format;
import io.gristmill.curation.ingest.IngestConfig;
import io.gristmill.curation.ingest.SourceConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CurationStagesTest extends SparkTestBase {
  private static String fixture(String relative) {
    try {
      return Path.of(CurationStagesTest.class.getResource("/ingest/" + relative).toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<SourceConfig> twoCopies() {
    String f = fixture("formats/messages.jsonl");
    return List.of(
        SourceConfig.of("a", f, Format.MESSAGES), SourceConfig.of("b", f, Format.MESSAGES));
  }

  @Test
  void buildsTheStagesInOrderAndLeavesOutWhatIsOff() {
    CurationStages all =
        CurationStages.build(
            twoCopies(),
            IngestConfig.defaults(),
            ExactDedupConfig.defaults(),
            NearDedupConfig.defaults(),
            null);
    assertThat(all.stages())
        .extracting(Stage::name)
        .containsExactly("ingest", "exact_dedup", "prompt_dedup", "near_dedup");
    CurationStages noPrompt =
        CurationStages.build(
            twoCopies(),
            IngestConfig.defaults(),
            new ExactDedupConfig(true, false, null),
            null,
            null);
    assertThat(noPrompt.stages()).extracting(Stage::name).containsExactly("ingest", "exact_dedup");
    assertThatThrownBy(noPrompt::listedInputs).isInstanceOf(GristmillException.class);
    assertThat(CurationStages.NEAR_DEDUP_STATE).isEqualTo("near_dedup_state");
  }

  @Test
  void thePipelineAccountsForEveryRowWithLineage() {
    CurationStages cs =
        CurationStages.build(
            twoCopies(),
            IngestConfig.defaults(),
            new ExactDedupConfig(null, null, List.of("a")),
            NearDedupConfig.defaults(),
            null);
    Pipeline.Result r = new Pipeline(cs.stages()).run(null, StageContext.of(spark, null));
    assertThat(r.reports())
        .extracting(StageReport::stage, StageReport::rowsIn, StageReport::kept)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ingest", 6L, 4L),
            org.assertj.core.groups.Tuple.tuple("exact_dedup", 4L, 2L),
            org.assertj.core.groups.Tuple.tuple("prompt_dedup", 2L, 2L),
            org.assertj.core.groups.Tuple.tuple("near_dedup", 2L, 2L));
    assertThat(cs.listedInputs()).hasSize(2);
    assertThat(cs.listedInputs()).allSatisfy(f -> assertThat(f.sha256()).hasSize(64));
    assertThat(r.state()).extracting(s -> s.name()).containsExactly("near_dedup_state");
    assertThat(r.details()).anySatisfy(d -> assertThat(d).startsWith("near_dedup: "));

    List<Row> dups = r.rejected().where("stage = 'exact_dedup'").collectAsList();
    assertThat(dups).hasSize(2);
    List<Row> kept = r.kept().collectAsList();
    Map<Long, String> keptIdByLine =
        Map.of(
            kept.get(0).<Long>getAs("line"), kept.get(0).getAs("id"),
            kept.get(1).<Long>getAs("line"), kept.get(1).getAs("id"));
    for (Row d : dups) {
      assertThat(d.<String>getAs("source")).isEqualTo("b");
      assertThat(d.<String>getAs("file")).endsWith("messages.jsonl");
      long line = d.getAs("line");
      // Its own id (source b hashes differently), and duplicate_of the copy of source a.
      assertThat(d.<String>getAs("id")).isNotEqualTo(keptIdByLine.get(line));
      assertThat(d.<String>getAs("duplicate_of")).isEqualTo(keptIdByLine.get(line));
    }
    for (Row k : kept) {
      assertThat(k.<String>getAs("source")).isEqualTo("a");
      assertThat(k.<String>getAs("file")).endsWith("messages.jsonl");
      assertThat(k.<Long>getAs("line")).isPositive();
    }
  }
}
