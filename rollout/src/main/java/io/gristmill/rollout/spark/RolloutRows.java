package io.gristmill.rollout.spark;

import io.gristmill.core.kind.KindSchemas;
import io.gristmill.rollout.SampleResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The rollout row schema ({@link KindSchemas#ROLLOUT}, declared once in core) and its conversion
 * from {@link SampleResult}. Inside the stage two more kinds of row travel with the samples: a
 * prompt the stage could not roll out gives one row with {@code sample_index} {@link #REJECTED}
 * (its {@code finish_reason} the {@link RolloutReason} code, its {@code text} the detail), and
 * every non-empty partition gives one row with {@code sample_index} {@link #DEVICE} naming the
 * device its task used (in {@code text}). Neither reaches {@code data/}.
 */
public final class RolloutRows {
  /** The schema of rollout rows: exactly the ROLLOUT kind's contract. */
  public static final StructType SCHEMA = KindSchemas.ROLLOUT;

  /** {@code sample_index} of a prompt that could not be rolled out. */
  static final int REJECTED = -1;

  /** {@code sample_index} of a partition's device marker. */
  static final int DEVICE = -2;

  private RolloutRows() {}

  /** A prompt as read from the prompt set, carried into every sample row. */
  record PromptInfo(String prompt, String dataSource, String groundTruth) {}

  static Row of(SampleResult r, String modelId, PromptInfo p) {
    return RowFactory.create(
        r.promptId(),
        r.sampleIndex(),
        p.dataSource(),
        p.groundTruth(),
        modelId,
        r.seed(),
        p.prompt(),
        ints(r.promptTokenIds()),
        ints(r.responseTokenIds()),
        floats(r.responseLogprobs()),
        r.text(),
        r.finishReason(),
        r.promptTokens(),
        r.responseTokens());
  }

  static Row rejected(
      String promptId,
      String modelId,
      PromptInfo p,
      int[] ids,
      RolloutReason reason,
      String detail) {
    return RowFactory.create(
        promptId,
        REJECTED,
        p.dataSource(),
        p.groundTruth(),
        modelId,
        0L,
        p.prompt(),
        ints(ids),
        ints(new int[0]),
        floats(new float[0]),
        detail,
        reason.code(),
        ids.length,
        0);
  }

  static Row device(String device, String modelId) {
    return RowFactory.create(
        "",
        DEVICE,
        null,
        null,
        modelId,
        0L,
        "",
        ints(new int[0]),
        ints(new int[0]),
        floats(new float[0]),
        device,
        "device",
        0,
        0);
  }

  private static Object ints(int[] a) {
    List<Integer> l = new ArrayList<>(a.length);
    for (int v : a) {
      l.add(v);
    }
    return CollectionConverters.asScala(l).toSeq();
  }

  private static Object floats(float[] a) {
    List<Float> l = new ArrayList<>(a.length);
    for (float v : a) {
      l.add(v);
    }
    return CollectionConverters.asScala(l).toSeq();
  }
}
