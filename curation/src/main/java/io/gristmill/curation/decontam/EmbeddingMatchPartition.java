package io.gristmill.curation.decontam;

import ai.djl.Device;
import io.gristmill.core.record.Message;
import io.gristmill.core.spark.Chunks;
import io.gristmill.curation.decontam.paraphrase.EmbeddingConfig;
import io.gristmill.curation.decontam.paraphrase.EmbeddingIndex;
import io.gristmill.curation.decontam.paraphrase.ParaphraseIndex;
import io.gristmill.curation.decontam.paraphrase.ParaphraseMatcher;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.encoder.BertEncoder;
import io.gristmill.rollout.encoder.VectorSearch;
import io.gristmill.rollout.spark.ExecutorModelCache;
import io.gristmill.rollout.spark.TaskDevices;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decontaminates one partition with the embedding signal on: the JVM's cached sentence encoder on
 * the task's device encodes the checked turns of {@code batch_size} rows at a time, their cosines
 * with every benchmark item come from one matrix product per chunk ({@link VectorSearch}, built
 * once per JVM from the broadcast vectors), each turn's nearest items ({@link
 * EmbeddingIndex#nearestByScores}) join its paraphrase candidates, and the rows get their {@code
 * contamination} column as without embeddings.
 */
final class EmbeddingMatchPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingMatchPartition.class);

  private final Broadcast<ContaminationMatcher> ngrams;
  private final Broadcast<ParaphraseMatcher> para;
  private final Broadcast<EmbeddingIndex> vectors;
  private final DecontaminationConfig cfg;
  private final int messagesAt;

  /** {@code ngrams} null: no n-gram matching. */
  EmbeddingMatchPartition(
      Broadcast<ContaminationMatcher> ngrams,
      Broadcast<ParaphraseMatcher> para,
      Broadcast<EmbeddingIndex> vectors,
      DecontaminationConfig cfg,
      int messagesAt) {
    this.ngrams = ngrams;
    this.para = para;
    this.vectors = vectors;
    this.cfg = cfg;
    this.messagesAt = messagesAt;
  }

  /**
   * The benchmark side, on the driver: every entry of {@code index} encoded (all the driver's cores
   * unless {@code threads_per_task} is set).
   */
  static EmbeddingIndex itemVectors(ParaphraseIndex index, EmbeddingConfig emb) {
    long t0 = System.nanoTime();
    Device device = TaskDevices.resolve(emb.device());
    BertEncoder enc = ExecutorModelCache.encoder(emb.model(), device);
    if (Device.Type.CPU.equals(device.getDeviceType())) {
      CausalLm.setThreads(
          emb.threadsPerTask() > 0
              ? emb.threadsPerTask()
              : Runtime.getRuntime().availableProcessors());
    }
    EmbeddingIndex v = EmbeddingIndex.build(index, texts -> enc.encode(texts, emb.batchSize()));
    LOG.info(
        "Encoded {} benchmark entries with {} ({} dims) on {} in {} ms",
        v.size(),
        emb.model(),
        v.dim(),
        TaskDevices.name(device),
        (System.nanoTime() - t0) / 1_000_000);
    return v;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return List.<Row>of().iterator();
    }
    EmbeddingConfig emb = cfg.paraphrase().embedding();
    Device device = TaskDevices.resolve(emb.device());
    BertEncoder enc = ExecutorModelCache.encoder(emb.model(), device);
    TaskDevices.useCpuThreads(device, emb.threadsPerTask());
    ContaminationMatcher matcher = ngrams == null ? null : ngrams.value();
    ParaphraseMatcher matcherP = para.value();
    EmbeddingIndex index = vectors.value();
    // one matrix product per chunk instead of a scan of every item vector per turn
    VectorSearch search =
        ExecutorModelCache.vectorSearch(
            "decontamination-items-" + vectors.id(),
            device,
            () -> new VectorSearch(index.vectors(), Math.max(1, index.dim()), device));
    return Chunks.map(
        rows,
        emb.batchSize(),
        in -> {
          List<List<Message>> messages = new ArrayList<>();
          List<String> texts = new ArrayList<>();
          for (Row r : in) {
            List<Message> ms = DecontaminationSparkStage.messages(r, messagesAt);
            messages.add(ms);
            for (Message m : ms) {
              if (cfg.checks(m.role())) {
                texts.add(m.content());
              }
            }
          }
          float[][] v =
              texts.isEmpty() ? new float[0][] : search.scores(enc.encode(texts, emb.batchSize()));
          List<Row> out = new ArrayList<>(in.size());
          int t = 0;
          for (int i = 0; i < in.size(); i++) {
            List<List<EmbeddingIndex.Hit>> near = new ArrayList<>();
            for (Message m : messages.get(i)) {
              near.add(
                  cfg.checks(m.role())
                      ? index.nearestByScores(v[t++], emb.topK(), emb.minCosine())
                      : null);
            }
            out.add(
                DecontaminationSparkStage.withMatches(
                    in.get(i), messagesAt, matcher, matcherP, cfg, near));
          }
          return out;
        });
  }
}
