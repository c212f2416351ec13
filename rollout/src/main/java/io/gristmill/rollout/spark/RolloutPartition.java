package io.gristmill.rollout.spark;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.Generator;
import io.gristmill.rollout.PromptInput;
import io.gristmill.rollout.SampleResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls out one partition of prompts on an executor: takes the JVM's cached model on the task's GPU
 * (or the CPU), sets intra-op threads to the task's cores, encodes every prompt (chat template when
 * configured), and generates all samples of the partition in batches.
 */
final class RolloutPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RolloutPartition.class);
  private final RolloutConfig cfg;

  RolloutPartition(RolloutConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return List.<Row>of().iterator();
    }
    TaskContext tc = TaskContext.get();
    Device device = device(cfg.device(), tc);
    CausalLm lm = ExecutorModelCache.get(cfg.model(), device);
    int threads = cfg.threadsPerTask() > 0 ? cfg.threadsPerTask() : tc == null ? 1 : tc.cpus();
    if (Device.Type.CPU.equals(device.getDeviceType())) {
      CausalLm.setThreads(threads);
    }
    String modelId = cfg.modelId() != null ? cfg.modelId() : lm.modelId();
    List<Row> out = new ArrayList<>();
    List<PromptInput> inputs = new ArrayList<>();
    Map<String, String> promptText = new HashMap<>();
    int limit = lm.config().maxSeqLen();
    while (rows.hasNext()) {
      Row r = rows.next();
      String id = r.getString(r.fieldIndex("prompt_id"));
      String prompt = r.isNullAt(r.fieldIndex("prompt")) ? "" : r.getString(r.fieldIndex("prompt"));
      if (prompt.isBlank()) {
        out.add(RolloutRows.rejected(id, modelId, prompt, new int[0], RolloutRows.EMPTY_PROMPT));
        continue;
      }
      int[] ids = lm.encodePrompt(prompt, cfg.chatTemplate());
      if (ids.length == 0 || ids.length >= limit) {
        out.add(RolloutRows.rejected(id, modelId, prompt, ids, RolloutRows.PROMPT_TOO_LONG));
        continue;
      }
      inputs.add(new PromptInput(id, ids));
      promptText.put(id, prompt);
    }
    long t0 = System.nanoTime();
    List<SampleResult> results = new Generator(lm).generate(inputs, cfg.generation());
    long tokens = 0;
    for (SampleResult s : results) {
      out.add(RolloutRows.of(s, modelId, promptText.get(s.promptId())));
      tokens += s.responseTokens();
    }
    LOG.info(
        "Rolled out {} prompts x {} samples on {} ({} threads): {} tokens in {} ms",
        inputs.size(),
        cfg.generation().numSamples(),
        device,
        threads,
        tokens,
        (System.nanoTime() - t0) / 1_000_000);
    return out.iterator();
  }

  /**
   * The task's GPU when Spark assigned one (and {@code device} is not {@code cpu}) and libtorch
   * sees a GPU; else the CPU, with a warning when a GPU was asked for but is not usable.
   */
  static Device device(String wanted, TaskContext tc) {
    if (wanted.equals("cpu")) {
      return Device.cpu();
    }
    String address = null;
    if (tc != null) {
      ResourceInformation gpu = tc.resourcesJMap().get("gpu");
      if (gpu != null && gpu.addresses().length > 0) {
        address = gpu.addresses()[0];
      }
    }
    int visible = Engine.getEngine("PyTorch").getGpuCount();
    if (visible > 0 && (address != null || wanted.equals("gpu"))) {
      int index = address == null ? 0 : Integer.parseInt(address.trim());
      return Device.gpu(index < visible ? index : 0);
    }
    if (wanted.equals("gpu") || address != null) {
      LOG.warn("A GPU was requested (task GPU {}) but libtorch sees none: using the CPU", address);
    }
    return Device.cpu();
  }
}
