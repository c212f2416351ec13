package io.gristmill.curation.dedup.near;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SharedData;
import io.gristmill.core.testing.SparkTestBase;
import io.gristmill.core.text.StableIds;
import io.gristmill.core.text.TextNormalizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Near-dedup on ../shared/data (skipped where absent): a full cross-source copy is found. */
class SharedDataNearDedupTest extends SparkTestBase {
  private static List<Conversation> alpaca(Path file, String source, String answerField)
      throws IOException {
    List<Conversation> out = new ArrayList<>();
    for (JsonNode n : new ObjectMapper().readTree(file.toFile())) {
      String input = n.path("input").asText("");
      String user = n.get("instruction").asText() + (input.isEmpty() ? "" : "\n" + input);
      String answer = n.get(answerField).asText();
      String id = StableIds.recordId(source, TextNormalizer.normalize(user + "\n" + answer));
      out.add(
          new Conversation(
              id, source, List.of(Message.user(user), Message.assistant(answer)), null, "{}"));
    }
    return out;
  }

  @Test
  void everyRowOfTheCodeAlpacaCopyOfGpTeacherCodegenIsADuplicate() throws IOException {
    List<Conversation> gpt =
        alpaca(
            SharedData.require("sft_chat/gpteacher/Codegen/codegen-instruct.json"),
            "gpteacher",
            "response");
    List<Conversation> copy =
        alpaca(
            SharedData.require("sft_chat/codealpaca/new_codealpaca.json"),
            "codealpaca",
            "response");
    assertThat(copy).hasSize(4535);
    List<Conversation> all = new ArrayList<>(gpt);
    all.addAll(copy);
    Dataset<Row> input =
        spark.createDataFrame(
            all.stream().map(SparkSchemas::toRow).toList(), SparkSchemas.CONVERSATION);
    NearDedupConfig cfg =
        NearDedupConfig.defaults()
            .withField("conversation")
            .withRepresentative(new RepresentativeConfig(List.of("gpteacher"), null, null));
    NearDedupResult r = NearDedupSparkStage.run(input, cfg);
    Dataset<Row> rejected = r.rejected();
    long copiesRejected = rejected.where("source = 'codealpaca'").count();
    assertThat(copiesRejected).isEqualTo(4535);
    assertThat(
            rejected
                .where("source = 'codealpaca'")
                .join(
                    input
                        .select("id", "source")
                        .withColumnRenamed("id", "rep")
                        .withColumnRenamed("source", "rep_source"),
                    rejected.col("duplicate_of").equalTo(org.apache.spark.sql.functions.col("rep")))
                .select("rep_source")
                .distinct()
                .as(Encoders.STRING())
                .collectAsList())
        .containsExactly("gpteacher");
    System.out.printf(
        "GPTeacher Codegen + CodeAlpaca copy: %s; %s%n", r.report(), r.info().summary());
  }

  /** The 22 source datasets of the T0 subset; a template file is named {@code <dataset>_<name>}. */
  private static final List<String> T0_DATASETS =
      List.of(
          "ag_news",
          "amazon_polarity",
          "app_reviews",
          "common_gen",
          "commonsense_qa",
          "cosmos_qa",
          "dbpedia_14",
          "gigaword",
          "glue_mrpc",
          "glue_qqp",
          "paws_labeled_final",
          "qasc",
          "quarel",
          "quartz",
          "rotten_tomatoes",
          "samsum",
          "sciq",
          "social_i_qa",
          "trec",
          "wiki_qa",
          "wiqa",
          "yelp_review_full");

  private static String t0Dataset(String template) {
    return T0_DATASETS.stream()
        .filter(d -> template.startsWith(d + "_"))
        .max(java.util.Comparator.comparingInt(String::length))
        .orElseThrow(() -> new AssertionError("no T0 dataset for template " + template));
  }

  /**
   * T0 renders the same source examples through several templates of one dataset: natural
   * near-duplicates. Rows are tagged with their dataset in {@code original_id}, so a cluster that
   * joined two datasets would show as a rejected row whose {@code duplicate_of_original_id} names
   * another dataset: a false merge.
   */
  @Test
  void t0TemplatesOfOneDatasetClusterAndNeverJoinTwoDatasets() throws IOException {
    Path dir = SharedData.require("sft_chat/self_instruct/t0_train_50k_subset");
    List<Conversation> all = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (var files = java.nio.file.Files.list(dir)) {
      for (Path f : files.filter(x -> x.toString().endsWith(".jsonl")).sorted().toList()) {
        String template = f.getFileName().toString().replace(".jsonl", "");
        String dataset = t0Dataset(template);
        int line = 0;
        for (String l : java.nio.file.Files.readAllLines(f)) {
          if (l.isBlank()) {
            continue;
          }
          JsonNode n = json.readTree(l);
          String prompt = n.get("prompt").asText();
          String completion = n.get("completion").asText();
          all.add(
              new Conversation(
                  StableIds.recordId(
                      template, TextNormalizer.normalize(prompt + "\n" + completion)),
                  template,
                  List.of(Message.user(prompt), Message.assistant(completion)),
                  dataset + ":" + line++,
                  "{}"));
        }
      }
    }
    assertThat(all).hasSize(32023);
    Dataset<Row> input =
        spark.createDataFrame(
            all.stream().map(SparkSchemas::toRow).toList(), SparkSchemas.CONVERSATION);
    NearDedupResult r = NearDedupSparkStage.run(input, NearDedupConfig.defaults());
    Dataset<Row> rej =
        r.rejected()
            .withColumn(
                "ds", org.apache.spark.sql.functions.substring_index(col("original_id"), ":", 1))
            .withColumn(
                "rep_ds",
                org.apache.spark.sql.functions.substring_index(
                    col("duplicate_of_original_id"), ":", 1))
            .persist();
    long rejected = rej.count();
    long crossDataset = rej.where(col("ds").notEqual(col("rep_ds"))).count();
    Dataset<Row> repSource = input.select(col("id").as("rep"), col("source").as("rep_source"));
    long crossTemplate =
        rej.join(repSource, rej.col("duplicate_of").equalTo(col("rep")))
            .where(col("source").notEqual(col("rep_source")))
            .count();
    List<Row> perDataset =
        rej.groupBy("ds").count().orderBy(col("count").desc()).limit(5).collectAsList();
    System.out.printf(
        "T0 templates: %s; %s; rejected %d, across templates %d, across datasets %d; top %s%n",
        r.report(), r.info().summary(), rejected, crossTemplate, crossDataset, perDataset);
    assertThat(crossDataset).as("clusters joining two source datasets").isZero();
    assertThat(crossTemplate)
        .as("near-duplicates found across templates of one dataset")
        .isGreaterThan(100);
    assertThat(rejected).isEqualTo(r.report().rejectedTotal());
  }

  /**
   * GPTeacher's author filtered Toolformer at similarity 0.9 .. 0.6 (file sizes below; the
   * similarity measure is theirs, not Jaccard): a reference point, not labels. A sweep of our
   * threshold must keep fewer rows at each lower threshold, and what it keeps is printed next to
   * the author's counts. Below 0.9 ours removes more: 5-gram Jaccard of the prompt counts the long
   * tool description every Toolformer prompt starts with.
   */
  @Test
  void toolformerThresholdSweepKeepsFewerRowsAtLowerThresholds() throws IOException {
    Path dir = SharedData.require("sft_chat/gpteacher/Toolformer");
    List<Conversation> rows =
        alpaca(dir.resolve("toolformer-dedupe-only-dataset.json"), "toolformer", "response");
    assertThat(rows).hasSize(7673);
    Dataset<Row> input =
        spark
            .createDataFrame(
                rows.stream().map(SparkSchemas::toRow).toList(), SparkSchemas.CONVERSATION)
            .persist();
    StringBuilder table = new StringBuilder("threshold kept author_kept\n");
    long previous = Long.MAX_VALUE;
    for (double t : new double[] {0.9, 0.8, 0.7, 0.6}) {
      NearDedupConfig cfg =
          new NearDedupConfig(null, null, null, null, t, null, null, null, null, null, null);
      long kept = NearDedupSparkStage.run(input, cfg).report().kept();
      int author =
          new ObjectMapper()
              .readTree(
                  dir.resolve(String.format("toolformer-similarity-%.1f-dataset.json", t)).toFile())
              .size();
      table.append(String.format("%.1f %d %d%n", t, kept, author));
      assertThat(kept).as("kept at threshold %.1f", t).isLessThanOrEqualTo(previous);
      if (t == 0.9) {
        // Measured: 5,977 kept against the author's 5,959; both filters agree at a high threshold.
        assertThat((double) kept)
            .as("kept at 0.9 vs the author's")
            .isCloseTo(author, org.assertj.core.data.Percentage.withPercentage(5));
      }
      previous = kept;
    }
    System.out.print("Toolformer sweep (7,673 rows in):\n" + table);
    assertThat(previous).as("kept at 0.6").isLessThan(7673);
  }
}
