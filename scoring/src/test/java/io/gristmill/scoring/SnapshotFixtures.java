package io.gristmill.scoring;

import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.kind.KindSchemas;
import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.snapshot.SnapshotWriter;
import io.gristmill.core.spark.SparkSchemas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/** Snapshots as the other commands publish them, written through the one snapshot writer. */
public final class SnapshotFixtures {
  private SnapshotFixtures() {}

  /** Publishes {@code rows} as a {@code kind} snapshot; returns the dataset folder. */
  public static String publish(
      SparkSession spark,
      Path root,
      String dataset,
      String job,
      DatasetKind kind,
      Dataset<Row> rows,
      String key) {
    SnapshotWriter w = SnapshotWriter.begin(spark, root.toString(), dataset, job, kind);
    w.writeData(rows, 1, key, key);
    w.commit(new SnapshotWriter.Commit(List.of(), null, List.of(), List.of(), Map.of(), null));
    return root.resolve(dataset).toString();
  }

  /** A GSM8K-like curated prompt-set row: the question, its solution, the extracted answer. */
  public static Conversation promptRow(String id, String question, String answer, String source) {
    return new Conversation(
        id,
        source,
        List.of(Message.user(question), Message.assistant("... #### " + answer)),
        null,
        "{}",
        source,
        answer,
        source + ".jsonl",
        1);
  }

  public static Dataset<Row> conversations(SparkSession spark, List<Conversation> cs) {
    return spark.createDataFrame(
        cs.stream().map(SparkSchemas::toRow).toList(), SparkSchemas.CONVERSATION);
  }

  /** A rollout row with the ROLLOUT kind's columns, in order. */
  public static Row rolloutRow(
      String promptId,
      int sample,
      String dataSource,
      String groundTruth,
      String prompt,
      String text,
      List<Integer> promptIds,
      List<Integer> responseIds,
      List<Float> logprobs) {
    return RowFactory.create(
        promptId,
        sample,
        dataSource,
        groundTruth,
        "tiny",
        7L,
        prompt,
        seq(promptIds),
        seq(responseIds),
        seq(logprobs),
        text,
        "stop",
        promptIds.size(),
        responseIds.size());
  }

  public static Dataset<Row> rollouts(SparkSession spark, List<Row> rows) {
    return spark.createDataFrame(new ArrayList<>(rows), KindSchemas.ROLLOUT);
  }

  private static <T> Object seq(List<T> l) {
    return CollectionConverters.asScala(l).toSeq();
  }
}
