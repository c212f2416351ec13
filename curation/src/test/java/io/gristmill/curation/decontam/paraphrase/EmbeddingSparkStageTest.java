package io.gristmill.curation.decontam.paraphrase;

import static io.gristmill.curation.decontam.paraphrase.ParaphraseFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Conversation;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.curation.decontam.DecontaminationConfig;
import io.gristmill.curation.decontam.DecontaminationResult;
import io.gristmill.curation.decontam.DecontaminationSparkStage;
import io.gristmill.curation.decontam.NgramIndex;
import io.gristmill.rollout.checkpoint.TinyBertWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decontamination stage with the embedding signal on (a project-generated tiny BERT, random
 * weights) and off. With {@code min_cosine: -1} and a {@code top_k} above the item count, every
 * item is an embedding candidate of every turn: what is matched is then decided by the per-kind
 * verifiers alone, which is what this test pins.
 */
class EmbeddingSparkStageTest extends SparkTestBase {
  private static final ParaphraseConfig PARA = CONFIG;

  @TempDir static Path tmp;
  private static Path model;

  @BeforeAll
  static void writeModel() {
    model = tmp.resolve("tiny-bert");
    TinyBertWriter.write(model, TinyBertWriter.Spec.tiny());
  }

  private static Dataset<Row> corpus() {
    List<Conversation> cs = new java.util.ArrayList<>(conversations());
    cs.add(conv("p-math-far", MATH_REWORDED_BELOW_FLOOR));
    // three partitions: rows are encoded per partition in batches of batch_size
    return spark
        .createDataFrame(cs.stream().map(SparkSchemas::toRow).toList(), SparkSchemas.CONVERSATION)
        .repartition(3);
  }

  private static DecontaminationResult run(ParaphraseConfig para) {
    DecontaminationConfig cfg =
        new DecontaminationConfig(null, 25, "flag", null, List.of(), null, null, para);
    var items = ParaphraseFixtures.items();
    return DecontaminationSparkStage.run(
        corpus(), cfg, NgramIndex.build(items, 25, 10), ParaphraseIndex.build(items, para));
  }

  /** id -> "benchmark:item kind [signals]" of each flagged row's first match. */
  private static Map<String, String> flags(DecontaminationResult r) {
    Map<String, String> out = new HashMap<>();
    for (Row x : r.kept().collectAsList()) {
      List<Row> m = x.getList(x.fieldIndex(DecontaminationSparkStage.COLUMN));
      if (!m.isEmpty()) {
        Row f = m.get(0);
        out.put(
            x.getAs("id"),
            f.getAs("benchmark")
                + ":"
                + f.getAs("item")
                + " "
                + f.getAs("kind")
                + " "
                + f.<scala.collection.Seq<String>>getAs("signals").mkString(","));
      }
    }
    return out;
  }

  @Test
  void embeddingCandidatesAreVerifiedPerKindAndTheStageRunsWithoutThem() {
    Map<String, String> off = flags(run(PARA));
    assertThat(off.keySet()).containsExactlyInAnyOrder("p-math", "p-code", "p-choice", "v-math");
    assertThat(off.values()).noneMatch(s -> s.contains("embedding"));

    // accept_cosine above 1 turns the cosine-decided choice path off: the random checkpoint gives
    // every pair a cosine near 0.9, so this run pins that the verifiers decide (the accept path
    // is tested in ParaphraseMatcherTest with chosen cosines)
    EmbeddingConfig emb = new EmbeddingConfig(model.toString(), -1.0, 100, 4, "cpu", 1, 2.0, null);
    DecontaminationResult r = run(PARA.withEmbedding(emb));
    Map<String, String> on = flags(r);
    // every item was a candidate of every turn, yet the hard negatives are still refused by
    // their kind's verifier; the far rewording, retrieved by the embedding path only, is
    // verified as math (its numbers and its question) and flagged
    assertThat(on.keySet())
        .containsExactlyInAnyOrder("p-math", "p-math-far", "p-code", "p-choice", "v-math");
    assertThat(on.get("p-math-far"))
        .startsWith("gsm:m1 paraphrase")
        .contains("numbers", "asked", "embedding");
    assertThat(on.get("p-math")).startsWith("gsm:m1 paraphrase").contains("embedding");
    assertThat(on.get("v-math")).isEqualTo("gsm:m1 verbatim ngram");
    assertThat(r.kept().where("id = 'clean'").count()).isEqualTo(1);
    assertThat(r.kept().select("id").as(Encoders.STRING()).collectAsList()).hasSize(10);
  }
}
