package io.gristmill.curation.dedup.near;

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
}
