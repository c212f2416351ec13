package io.gristmill.rollout.spark;

import io.gristmill.rollout.SampleResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The rollout row schema (part of the snapshot format) and its conversion from {@link
 * SampleResult}. A prompt the stage could not roll out gives one row with {@code sample_index} -1,
 * empty token arrays and {@code finish_reason} {@code prompt_too_long} or {@code empty_prompt}.
 */
public final class RolloutRows {
  public static final String PROMPT_TOO_LONG = "prompt_too_long";
  public static final String EMPTY_PROMPT = "empty_prompt";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("prompt_id", DataTypes.StringType, false),
            DataTypes.createStructField("sample_index", DataTypes.IntegerType, false),
            DataTypes.createStructField("model_id", DataTypes.StringType, false),
            DataTypes.createStructField("seed", DataTypes.LongType, false),
            DataTypes.createStructField("prompt", DataTypes.StringType, false),
            DataTypes.createStructField(
                "prompt_token_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            DataTypes.createStructField(
                "response_token_ids",
                DataTypes.createArrayType(DataTypes.IntegerType, false),
                false),
            DataTypes.createStructField(
                "response_logprobs", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField("text", DataTypes.StringType, false),
            DataTypes.createStructField("finish_reason", DataTypes.StringType, false),
            DataTypes.createStructField("prompt_tokens", DataTypes.IntegerType, false),
            DataTypes.createStructField("response_tokens", DataTypes.IntegerType, false)
          });

  private RolloutRows() {}

  static Row of(SampleResult r, String modelId, String prompt) {
    return RowFactory.create(
        r.promptId(),
        r.sampleIndex(),
        modelId,
        r.seed(),
        prompt,
        ints(r.promptTokenIds()),
        ints(r.responseTokenIds()),
        floats(r.responseLogprobs()),
        r.text(),
        r.finishReason(),
        r.promptTokens(),
        r.responseTokens());
  }

  static Row rejected(String promptId, String modelId, String prompt, int[] ids, String reason) {
    return RowFactory.create(
        promptId,
        -1,
        modelId,
        0L,
        prompt,
        ints(ids),
        ints(new int[0]),
        floats(new float[0]),
        "",
        reason,
        ids.length,
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
