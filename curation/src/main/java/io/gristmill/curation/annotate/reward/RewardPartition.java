package io.gristmill.curation.annotate.reward;

import ai.djl.Device;
import io.gristmill.core.record.Message;
import io.gristmill.curation.annotate.AnnotateSparkStage;
import io.gristmill.curation.annotate.AnnotationColumns;
import io.gristmill.curation.annotate.judge.NullReasons;
import io.gristmill.rollout.RewardModel;
import io.gristmill.rollout.spark.ExecutorModelCache;
import io.gristmill.rollout.spark.TaskDevices;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Scores one partition on an executor: the JVM's cached reward model on the task's device, {@link
 * RewardCore} over chunks of {@code batch_size} rows; each row returned with {@code reward} (or its
 * reason in {@code null_reasons}).
 */
final class RewardPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private final RewardConfig cfg;
  private final StructType schema;
  private final CollectionAccumulator<String> devices;
  private final LongAccumulator tokens;

  RewardPartition(
      RewardConfig cfg,
      StructType schema,
      CollectionAccumulator<String> devices,
      LongAccumulator tokens) {
    this.cfg = cfg;
    this.schema = schema;
    this.devices = devices;
    this.tokens = tokens;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return List.<Row>of().iterator();
    }
    Device device = TaskDevices.resolve(cfg.device());
    RewardModel rm = ExecutorModelCache.rewardModel(cfg.model(), device);
    TaskDevices.useCpuThreads(device, cfg.threadsPerTask());
    devices.add(TaskDevices.name(device) + " " + rm.lm().dtype());
    RewardCore core = new RewardCore(rm, cfg.chatTemplate());
    int messagesAt = schema.fieldIndex("messages");
    int rewardAt = schema.fieldIndex(AnnotationColumns.REWARD);
    int reasonsAt = schema.fieldIndex(NullReasons.COLUMN);
    return new Iterator<>() {
      private Iterator<Row> chunk = List.<Row>of().iterator();

      @Override
      public boolean hasNext() {
        if (!chunk.hasNext() && rows.hasNext()) {
          chunk = nextChunk().iterator();
        }
        return chunk.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return chunk.next();
      }

      private List<Row> nextChunk() {
        List<Row> in = new ArrayList<>();
        List<List<Message>> convs = new ArrayList<>();
        while (rows.hasNext() && in.size() < cfg.batchSize()) {
          Row r = rows.next();
          in.add(r);
          convs.add(AnnotateSparkStage.messages(r, messagesAt));
        }
        long t0 = core.tokens();
        List<RewardCore.Scored> scored = core.score(convs);
        tokens.add(core.tokens() - t0);
        List<Row> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
          out.add(fill(in.get(i), scored.get(i), rewardAt, reasonsAt));
        }
        return out;
      }
    };
  }

  private static Row fill(Row r, RewardCore.Scored s, int rewardAt, int reasonsAt) {
    Object[] v = new Object[r.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.get(i);
    }
    Map<String, String> reasons = new TreeMap<>();
    if (!r.isNullAt(reasonsAt)) {
      reasons.putAll(r.getJavaMap(reasonsAt));
    }
    if (s.reward() != null) {
      v[rewardAt] = s.reward();
    }
    NullReasons.record(reasons, AnnotationColumns.REWARD, v[rewardAt], s.reason());
    v[reasonsAt] = NullReasons.value(reasons);
    return RowFactory.create(v);
  }
}
