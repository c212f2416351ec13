package io.gristmill.core.stage;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.record.ReasonCode;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The pipeline runs stages in order, unions rejected rows and enforces the row contract. */
class PipelineTest extends SparkTestBase {
  enum TestReason implements ReasonCode {
    TOO_SHORT,
    ODD;

    @Override
    public String code() {
      return ReasonCode.codeOf(this);
    }
  }

  /** Drops rows whose first user turn is shorter than {@code min} characters. */
  record MinLength(String name, int min) implements Stage {
    @Override
    public StageOutput apply(Dataset<Row> in, StageContext ctx) {
      Dataset<Row> bad =
          in.filter(
              col("messages").getItem(0).getField("content").rlike("^.{0," + (min - 1) + "}$"));
      Dataset<Row> good = in.except(bad);
      long n = in.count();
      long b = bad.count();
      StageReport r =
          new StageReport(
              name, n, n - b, b == 0 ? Map.of() : Map.of(TestReason.TOO_SHORT.code(), b), 0.0);
      return StageOutput.of(good, RejectedRows.of(bad, name, TestReason.TOO_SHORT, Map.of()), r);
    }
  }

  /** A broken stage that reports more rows in than it was given. */
  record Miscounting() implements Stage {
    @Override
    public String name() {
      return "miscounting";
    }

    @Override
    public StageOutput apply(Dataset<Row> in, StageContext ctx) {
      long n = in.count() + 1;
      return StageOutput.of(
          in,
          RejectedRows.of(in.limit(0), name(), TestReason.ODD, Map.of()),
          new StageReport(name(), n, n, Map.of(), 0));
    }
  }

  private static Dataset<Row> input() {
    List<Row> rows = new ArrayList<>();
    String[] prompts = {"hi", "a longer prompt", "mid size", "x"};
    for (int i = 0; i < prompts.length; i++) {
      rows.add(
          SparkSchemas.toRow(
              new Conversation(
                      "id" + i,
                      "s",
                      List.of(Message.user(prompts[i]), Message.assistant("ok")),
                      null,
                      "{}")
                  .withLineage("in.jsonl", i + 1)));
    }
    return spark.createDataFrame(rows, SparkSchemas.CONVERSATION);
  }

  @Test
  void stagesChainAndRejectedRowsKeepTheirOwnIdsAndLineage() {
    Pipeline p = new Pipeline(List.of(new MinLength("first", 3), new MinLength("second", 9)));
    Pipeline.Result r = p.run(input(), StageContext.of(spark, null));
    assertThat(r.reports()).extracting(StageReport::stage).containsExactly("first", "second");
    assertThat(r.reports().get(0).kept()).isEqualTo(r.reports().get(1).rowsIn());
    assertThat(r.kept().select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactly("id1");
    List<Row> rejected = r.rejected().orderBy("id").collectAsList();
    assertThat(rejected).hasSize(3);
    assertThat(rejected.get(0).schema().fieldNames()).isEqualTo(SparkSchemas.REJECTED.fieldNames());
    Row x = rejected.get(2);
    assertThat(x.getString(x.fieldIndex("id"))).isEqualTo("id3");
    assertThat(x.getString(x.fieldIndex("stage"))).isEqualTo("first");
    assertThat(x.getString(x.fieldIndex("reason"))).isEqualTo("too_short");
    assertThat(x.getString(x.fieldIndex("file"))).isEqualTo("in.jsonl");
    assertThat(x.getLong(x.fieldIndex("line"))).isEqualTo(4L);
    Row mid = rejected.get(1);
    assertThat(mid.getString(mid.fieldIndex("stage"))).isEqualTo("second");
  }

  @Test
  void aStageWhoseRowsInDoNotMatchThePreviousKeptFails() {
    Pipeline p = new Pipeline(List.of(new MinLength("first", 3), new Miscounting()));
    assertThatThrownBy(() -> p.run(input(), StageContext.of(spark, null)))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot run stage miscounting: it reports 3 rows in, but first kept 2; rows were lost"
                + " between stages. This is a bug in Gristmill; please report it.");
  }
}
