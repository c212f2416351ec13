package io.gristmill.scoring;

import io.gristmill.scoring.reward.RewardFunction;
import io.gristmill.scoring.reward.RewardRegistry;
import io.gristmill.scoring.reward.RewardSpec;
import io.gristmill.scoring.reward.Verdict;
import io.gristmill.scoring.reward.VerifierLimits;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores rows of {@link ScoringSchemas#PARSED} (already-rejected rows pass through untouched) into
 * {@link ScoringSchemas#SCORED_TRACED}: the reward function is picked per row by {@code
 * data_source} from a {@link RewardRegistry} built once per partition from the config. Rows whose
 * source has no reward function (and no {@code default}) are marked for rejection with reason
 * {@code no_reward_function}.
 */
final class ScoringSparkStage {
  private ScoringSparkStage() {}

  static Dataset<Row> score(
      Dataset<Row> parsed, Map<String, RewardSpec> rewards, VerifierLimits limits) {
    int rolloutCols = ScoringSchemas.ROLLOUT.size();
    int traceCols = ScoringSchemas.TRACE.size();
    int rewardCols = ScoringSchemas.REWARD_COLUMNS.size();
    int reasonAt = rolloutCols + 2;
    return parsed.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            rows -> {
              RewardRegistry registry = new RewardRegistry(rewards, limits);
              return new Iterator<>() {
                @Override
                public boolean hasNext() {
                  return rows.hasNext();
                }

                @Override
                public Row next() {
                  Row r = rows.next();
                  Object[] out = new Object[rolloutCols + rewardCols + traceCols];
                  for (int i = 0; i < rolloutCols; i++) {
                    out[i] = r.get(i);
                  }
                  for (int i = 0; i < traceCols; i++) {
                    out[rolloutCols + rewardCols + i] = r.get(rolloutCols + i);
                  }
                  out[rolloutCols] = 0.0;
                  out[rolloutCols + 1] = false;
                  out[rolloutCols + 3] = "not_scored";
                  out[rolloutCols + 4] = false;
                  if (!r.isNullAt(reasonAt)) {
                    return RowFactory.create(out);
                  }
                  String source = r.getString(ScoringSchemas.DATA_SOURCE);
                  RewardFunction f = registry.forSource(source);
                  if (f == null) {
                    out[rolloutCols + rewardCols + 2] = ScoringReason.NO_REWARD_FUNCTION.code();
                    out[rolloutCols + rewardCols + 3] =
                        "no reward function for data_source '"
                            + source
                            + "'; add rewards."
                            + source
                            + " or rewards.default to the config";
                    return RowFactory.create(out);
                  }
                  int ids = ScoringSchemas.RESPONSE_TOKEN_IDS;
                  int tokens = r.isNullAt(ids) ? -1 : r.getList(ids).size();
                  Verdict v =
                      f.score(
                          r.getString(ScoringSchemas.RESPONSE),
                          r.getString(ScoringSchemas.GROUND_TRUTH),
                          tokens);
                  out[rolloutCols] = v.reward();
                  out[rolloutCols + 1] = v.correct();
                  out[rolloutCols + 2] = v.extracted();
                  out[rolloutCols + 3] = v.status().code();
                  out[rolloutCols + 4] = v.formatOk();
                  return RowFactory.create(out);
                }
              };
            },
        Encoders.row(ScoringSchemas.SCORED_TRACED));
  }
}
