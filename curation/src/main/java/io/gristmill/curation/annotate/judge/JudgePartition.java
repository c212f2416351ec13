package io.gristmill.curation.annotate.judge;

import ai.djl.Device;
import io.gristmill.curation.annotate.AnnotateSparkStage;
import io.gristmill.curation.annotate.AnnotationColumns;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.spark.ExecutorModelCache;
import io.gristmill.rollout.spark.TaskDevices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges one partition on an executor: the JVM's cached judge model on the task's device, {@link
 * JudgeCore} over chunks of {@link #CHUNK} rows, each row returned with its aspect columns and
 * {@code null_reasons} filled. Only the config and the templates travel from the driver.
 */
final class JudgePartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(JudgePartition.class);

  /** Rows judged per engine call (bounds the memory a partition holds). */
  static final int CHUNK = 256;

  private final JudgeConfig cfg;
  private final JudgePrompts prompts;
  private final StructType schema;
  private final CollectionAccumulator<String> devices;
  private final LongAccumulator promptTokens;
  private final LongAccumulator newTokens;

  JudgePartition(
      JudgeConfig cfg,
      JudgePrompts prompts,
      StructType schema,
      CollectionAccumulator<String> devices,
      LongAccumulator promptTokens,
      LongAccumulator newTokens) {
    this.cfg = cfg;
    this.prompts = prompts;
    this.schema = schema;
    this.devices = devices;
    this.promptTokens = promptTokens;
    this.newTokens = newTokens;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return List.<Row>of().iterator();
    }
    Device device = TaskDevices.resolve(cfg.device());
    CausalLm lm = ExecutorModelCache.get(cfg.model(), device, cfg.dtype());
    TaskDevices.useCpuThreads(device, cfg.threadsPerTask());
    devices.add(TaskDevices.name(device) + " " + lm.dtype());
    JudgeCore core = new JudgeCore(lm, cfg, prompts);
    int messagesAt = schema.fieldIndex("messages");
    int idAt = schema.fieldIndex("id");
    int reasonsAt = schema.fieldIndex(NullReasons.COLUMN);
    int confidenceAt = schema.fieldIndex(AnnotationColumns.TASK_CATEGORY_CONFIDENCE);
    Map<JudgeAspect, Integer> columnAt = new HashMap<>();
    for (JudgeAspect a : cfg.aspectList()) {
      columnAt.put(a, schema.fieldIndex(a.column()));
    }
    return new Iterator<>() {
      private Iterator<Row> chunk = List.<Row>of().iterator();

      @Override
      public boolean hasNext() {
        if (!chunk.hasNext() && rows.hasNext()) {
          chunk = next(rows).iterator();
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

      private List<Row> next(Iterator<Row> it) {
        List<Row> in = new ArrayList<>(CHUNK);
        List<JudgeCore.Item> items = new ArrayList<>(CHUNK);
        while (it.hasNext() && in.size() < CHUNK) {
          Row r = it.next();
          in.add(r);
          items.add(
              new JudgeCore.Item(r.getString(idAt), AnnotateSparkStage.messages(r, messagesAt)));
        }
        long p0 = core.promptTokens();
        long n0 = core.newTokens();
        long t0 = System.nanoTime();
        List<Map<JudgeAspect, JudgeCore.Verdict>> verdicts = core.judge(items);
        promptTokens.add(core.promptTokens() - p0);
        newTokens.add(core.newTokens() - n0);
        LOG.info(
            "Judged {} rows x {} aspects on {}: {} new tokens in {} ms",
            in.size(),
            cfg.aspects().size(),
            TaskDevices.name(device),
            core.newTokens() - n0,
            (System.nanoTime() - t0) / 1_000_000);
        List<Row> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
          out.add(fill(in.get(i), verdicts.get(i), columnAt, reasonsAt, confidenceAt));
        }
        return out;
      }
    };
  }

  private static Row fill(
      Row r,
      Map<JudgeAspect, JudgeCore.Verdict> verdicts,
      Map<JudgeAspect, Integer> columnAt,
      int reasonsAt,
      int confidenceAt) {
    Object[] v = new Object[r.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.get(i);
    }
    Map<String, String> reasons = new java.util.TreeMap<>();
    if (!r.isNullAt(reasonsAt)) {
      reasons.putAll(r.getJavaMap(reasonsAt));
    }
    for (Map.Entry<JudgeAspect, JudgeCore.Verdict> e : verdicts.entrySet()) {
      JudgeAspect a = e.getKey();
      JudgeCore.Verdict verdict = e.getValue();
      int at = columnAt.get(a);
      if (verdict.label() != null) {
        v[at] = a == JudgeAspect.JUDGE_SCORE ? Double.valueOf(verdict.label()) : verdict.label();
        if (a == JudgeAspect.TASK_CATEGORY) {
          v[confidenceAt] = null; // the judge gives a label, not a probability
        }
      }
      // an imported (or classifier) value stays where the judge failed
      NullReasons.record(reasons, a.column(), v[at], verdict.reason());
    }
    v[reasonsAt] = NullReasons.value(reasons);
    return RowFactory.create(v);
  }
}
