package io.gristmill.curation.dedup.near;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NearDedupSparkStageTest extends SparkTestBase {
  @TempDir Path tmp;

  private static Dataset<Row> fixture() {
    String p = NearDedupSparkStageTest.class.getResource("/neardup/conversations.jsonl").getPath();
    return spark.read().schema(SparkSchemas.CONVERSATION).json(p);
  }

  private static Map<String, String> dupOf(NearDedupResult r) {
    Map<String, String> m = new TreeMap<>();
    for (Row row : r.rejected().select("id", "duplicate_of").collectAsList()) {
      m.put(row.getString(0), row.getString(1));
    }
    return m;
  }

  private static List<String> sorted(Dataset<Row> d) {
    return d.toJSON().collectAsList().stream().sorted().toList();
  }

  @Test
  void clustersVerifiedDuplicatesAndKeepsTheLongest() {
    NearDedupResult r = NearDedupSparkStage.run(fixture(), NearDedupConfig.defaults());
    assertThat(dupOf(r))
        .isEqualTo(
            Map.of(
                "g1-a", "g1-c", "g1-b", "g1-c", "g2-a", "g2-c", "g2-b", "g2-c", "g3-a", "g3-c",
                "g3-b", "g3-c"));
    assertThat(r.report().rowsIn()).isEqualTo(18);
    assertThat(r.report().kept()).isEqualTo(12);
    assertThat(r.report().rejected()).isEqualTo(Map.of("near_duplicate", 6L));
    assertThat(r.info().clusters()).isEqualTo(3);
    assertThat(r.info().tooShort()).isEqualTo(3);
    assertThat(r.info().bands()).isEqualTo(14);
    assertThat(r.kept().count()).isEqualTo(12);
    assertThat(r.kept().columns()).containsExactly(SparkSchemas.CONVERSATION.fieldNames());
    Row b = r.rejected().where("id = 'g1-b'").first();
    assertThat(b.getString(b.fieldIndex("reason"))).isEqualTo("near_duplicate");
    assertThat(b.getString(b.fieldIndex("stage"))).isEqualTo("near_dedup");
    assertThat(b.getDouble(b.fieldIndex("similarity"))).isBetween(0.95, 0.99);
    assertThat(b.getList(b.fieldIndex("messages"))).hasSize(2);
    Row a = r.rejected().where("id = 'g1-a'").first();
    assertThat(a.getString(a.fieldIndex("original_id"))).isEqualTo("g1-orig-a");
  }

  @Test
  void sourcePriorityPicksTheRepresentativeAndShortTextsNeverMerge() {
    NearDedupConfig cfg =
        NearDedupConfig.defaults()
            .withRepresentative(new RepresentativeConfig(List.of("beta"), null, null));
    NearDedupResult r = NearDedupSparkStage.run(fixture(), cfg);
    assertThat(dupOf(r)).containsEntry("g2-a", "g2-b").containsEntry("g2-c", "g2-b");
    Row row = r.rejected().where("id = 'g2-a'").first();
    assertThat(row.getString(row.fieldIndex("duplicate_of_original_id"))).isEqualTo("g2-orig-b");
    assertThat(dupOf(r)).doesNotContainKeys("short0", "short1", "short2", "g1-d", "d0");
  }

  @Test
  void estimatedVerificationFindsTheSameClusters() {
    NearDedupResult r =
        NearDedupSparkStage.run(fixture(), NearDedupConfig.defaults().withVerify("estimated"));
    assertThat(dupOf(r).keySet())
        .containsExactlyInAnyOrder("g1-a", "g1-b", "g2-a", "g2-b", "g3-a", "g3-b");
  }

  @Test
  void outputDoesNotDependOnPartitioning() {
    List<String> kept1;
    List<String> rej1;
    spark.conf().set("spark.sql.shuffle.partitions", "1");
    try {
      NearDedupResult r =
          NearDedupSparkStage.run(fixture().repartition(1), NearDedupConfig.defaults());
      kept1 = sorted(r.kept());
      rej1 = sorted(r.rejected());
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", "4");
    }
    spark.conf().set("spark.sql.shuffle.partitions", "7");
    try {
      NearDedupResult r =
          NearDedupSparkStage.run(fixture().repartition(5), NearDedupConfig.defaults());
      assertThat(sorted(r.kept())).isEqualTo(kept1);
      assertThat(sorted(r.rejected())).isEqualTo(rej1);
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", "4");
    }
  }

  @Test
  void aRowRepeatedInTheInputIsCountedAndOutputOncePerCopy() {
    // With exact dedup off, the same row (same id) can arrive twice: a repeated duplicate is
    // rejected twice and a repeated representative kept twice, and the report matches the rows.
    Dataset<Row> input =
        fixture().unionByName(fixture().where("id = 'g1-b' or id = 'g1-c'")).repartition(3);
    NearDedupResult r = NearDedupSparkStage.run(input, NearDedupConfig.defaults());
    assertThat(r.report().rowsIn()).isEqualTo(20);
    assertThat(r.report().rejected()).isEqualTo(Map.of("near_duplicate", 7L));
    assertThat(r.rejected().count()).isEqualTo(7);
    assertThat(r.kept().count()).isEqualTo(13);
    assertThat(r.rejected().where("id = 'g1-b'").select("duplicate_of").distinct().collectAsList())
        .extracting(x -> x.getString(0))
        .containsExactly("g1-c");
    assertThat(r.kept().where("id = 'g1-c'").count()).isEqualTo(2);
  }

  @Test
  void shuffleJoinsInPlaceOfBroadcastsGiveTheSameOutput() {
    NearDedupResult ref = NearDedupSparkStage.run(fixture(), NearDedupConfig.defaults());
    List<String> kept = sorted(ref.kept());
    List<String> rejected = sorted(ref.rejected());
    List<String> state = sorted(ref.state());
    // Limits of 0 drop the stage's broadcast hints; Spark's own size-based broadcast is off too,
    // so the joins for huge inputs (endpoints, splitting the input) run as shuffle joins.
    spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    try {
      NearDedupResult r =
          NearDedupSparkStage.run(
              fixture(),
              NearDedupConfig.defaults(),
              null,
              new NearDedupSparkStage.Limits(64, 0, 0));
      assertThat(r.kept().queryExecution().executedPlan().toString())
          .contains("SortMergeJoin")
          .doesNotContain("Broadcast");
      assertThat(sorted(r.kept())).isEqualTo(kept);
      assertThat(sorted(r.rejected())).isEqualTo(rejected);
      assertThat(sorted(r.state())).isEqualTo(state);
      assertThat(r.report().rejected()).isEqualTo(ref.report().rejected());
    } finally {
      spark.conf().unset("spark.sql.autoBroadcastJoinThreshold");
    }
  }

  @Test
  void vertexHashCollisionsAreRetriedWithAnotherSaltOrFailClearly() {
    NearDedupResult ref = NearDedupSparkStage.run(fixture(), NearDedupConfig.defaults());
    List<String> kept = sorted(ref.kept());
    List<String> rejected = sorted(ref.rejected());
    // With 7-bit vertices two endpoint ids of this fixture share a vertex under salts 0 and 1
    // (the stage logs each retry) and salt 2 separates them: the output must not change.
    for (int bits = 7; bits <= 9; bits++) {
      NearDedupResult r =
          NearDedupSparkStage.run(
              fixture(),
              NearDedupConfig.defaults(),
              null,
              new NearDedupSparkStage.Limits(bits, 2_000_000L, 2_000_000L));
      assertThat(sorted(r.kept())).as("kept, %d-bit vertices", bits).isEqualTo(kept);
      assertThat(sorted(r.rejected())).as("rejected, %d-bit vertices", bits).isEqualTo(rejected);
    }
    assertThatThrownBy(
            () ->
                NearDedupSparkStage.run(
                    fixture(),
                    NearDedupConfig.defaults(),
                    null,
                    new NearDedupSparkStage.Limits(1, 2_000_000L, 2_000_000L)))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("two row ids hashed to the same 64-bit vertex under each of 4 salts");
  }

  @Test
  void laterRunDedupsAgainstSavedStateWithoutTheOldRows() {
    NearDedupConfig cfg = NearDedupConfig.defaults();
    Dataset<Row> first = fixture().where("id like '%-a' or id like 'd%'");
    NearDedupResult r1 = NearDedupSparkStage.run(first, cfg);
    assertThat(r1.report().rejectedTotal()).isZero();
    String dir = tmp.resolve("state").toString();
    NearDedupStateSparkStage.write(r1.state(), cfg, dir);

    Dataset<Row> prior = NearDedupStateSparkStage.load(spark, dir, cfg);
    assertThat(prior.count()).isEqualTo(6);
    Dataset<Row> second = fixture().where("not (id like '%-a' or id like 'd%')");
    NearDedupResult r2 = NearDedupSparkStage.run(second, cfg, prior);
    assertThat(dupOf(r2))
        .isEqualTo(
            Map.of(
                "g1-b", "g1-a", "g1-c", "g1-a", "g2-b", "g2-a", "g2-c", "g2-a", "g3-b", "g3-a",
                "g3-c", "g3-a"));
    assertThat(r2.report().rowsIn()).isEqualTo(12);
    assertThat(r2.kept().count()).isEqualTo(6);
    assertThat(r2.state().count()).isEqualTo(9);

    assertThatThrownBy(
            () ->
                NearDedupStateSparkStage.load(
                    spark,
                    dir,
                    new NearDedupConfig(
                        null, null, null, 64, null, null, null, null, null, null, null)))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot use near-dedup state "
                + dir
                + ": it was built with num_perm=128 but the config has num_perm=64, so its"
                + " signatures are not comparable. Set near_dedup.num_perm back to 128, or rebuild"
                + " the state without --prior-state.");
    // State written by a version with another MinHash family is refused, not silently compared.
    java.nio.file.Path params = tmp.resolve("state").resolve("params.json");
    try {
      java.nio.file.Files.writeString(
          params, java.nio.file.Files.readString(params).replace("\"hash\"", "\"old_hash\""));
      // Hadoop's local file system checks a .crc beside the file; an edit by hand drops it.
      java.nio.file.Files.deleteIfExists(params.resolveSibling(".params.json.crc"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThatThrownBy(() -> NearDedupStateSparkStage.load(spark, dir, cfg))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("built with MinHash family (unnamed)")
        .hasMessageContaining("Rebuild the state with one full `gristmill curate` run.");
  }

  /**
   * The stage: rejected rows carry the duplicate's own id, file and line; the state it returns
   * (near_dedup_state) holds every row kept so far, and a later run loads it from the prior.
   */
  @Test
  void theStageSavesStateThatALaterRunReadsFromThePrior() {
    NearDedupConfig cfg = NearDedupConfig.defaults();
    NearDedupSparkStage stage = new NearDedupSparkStage(cfg);
    assertThat(stage.name()).isEqualTo("near_dedup");
    Dataset<Row> first =
        fixture()
            .where("id like '%-a' or id like 'd%' or id = 'g1-b'")
            .withColumn("file", org.apache.spark.sql.functions.lit("file:/in/x.jsonl"))
            .withColumn("line", org.apache.spark.sql.functions.length(col("id")).cast("long"));
    io.gristmill.core.stage.StageOutput o1 =
        stage.apply(first, io.gristmill.core.stage.StageContext.of(spark, null));
    Row b = o1.rejected().first();
    assertThat(o1.rejected().count()).isEqualTo(1);
    // Of g1-a and g1-b alone, g1-b is the representative.
    assertThat(b.<String>getAs("id")).isEqualTo("g1-a");
    assertThat(b.<String>getAs("duplicate_of")).isEqualTo("g1-b");
    assertThat(b.<String>getAs("file")).isEqualTo("file:/in/x.jsonl");
    assertThat(b.<Long>getAs("line")).isEqualTo(4L);
    assertThat(o1.details()).singleElement().asString().startsWith("near_dedup: ");
    assertThat(o1.state())
        .singleElement()
        .satisfies(st -> assertThat(st.name()).isEqualTo("near_dedup_state"));
    java.nio.file.Path snap = tmp.resolve("snap");
    o1.state().get(0).writeTo(snap.resolve("near_dedup_state").toString());

    io.gristmill.core.stage.PriorSnapshot prior =
        new io.gristmill.core.stage.PriorSnapshot(
            "s1", new org.apache.hadoop.fs.Path(snap.toString()), first, null);
    Dataset<Row> second = fixture().where("not (id like '%-a' or id like 'd%' or id = 'g1-b')");
    io.gristmill.core.stage.StageOutput o2 =
        stage.apply(second, io.gristmill.core.stage.StageContext.of(spark, prior));
    assertThat(o2.report().rowsIn()).isEqualTo(11);
    assertThat(o2.report().rejected()).isEqualTo(Map.of("near_duplicate", 5L));
    java.nio.file.Path next = tmp.resolve("next");
    o2.state().get(0).writeTo(next.toString());
    // Kept so far: the 6 of the first run and the 3 new kept rows long enough to sign.
    assertThat(NearDedupStateSparkStage.load(spark, next.toString(), cfg).count()).isEqualTo(9);
  }
}
