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
import java.util.function.IntSupplier;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls out one partition of prompts ({@code prompt_id}, {@code prompt}, {@code data_source},
 * {@code ground_truth}) on an executor: takes the JVM's cached model on the task's GPU (or the
 * CPU), sets intra-op threads to the task's cores, encodes every prompt (chat template when
 * configured), generates all samples of the partition in batches, and adds finished prompts to the
 * progress accumulator. Emits the sample rows, one row per rejected prompt, and one device marker
 * (see {@link RolloutRows}).
 */
final class RolloutPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RolloutPartition.class);
  private final RolloutConfig cfg;
  private final LongAccumulator promptsDone;

  /**
   * @param promptsDone where finished prompts are counted (rolled out or rejected), or null
   */
  RolloutPartition(RolloutConfig cfg, LongAccumulator promptsDone) {
    this.cfg = cfg;
    this.promptsDone = promptsDone;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return List.<Row>of().iterator();
    }
    TaskContext tc = TaskContext.get();
    Device device = device(cfg.device(), tc, RolloutPartition::libtorchGpus);
    CausalLm lm = ExecutorModelCache.get(cfg.model(), device, cfg.dtype());
    int threads = TaskDevices.useCpuThreads(device, cfg.threadsPerTask());
    String modelId = cfg.modelId() != null ? cfg.modelId() : lm.modelId();
    List<Row> out = new ArrayList<>();
    out.add(RolloutRows.device(deviceName(device), modelId));
    List<PromptInput> inputs = new ArrayList<>();
    Map<String, RolloutRows.PromptInfo> info = new HashMap<>();
    int limit = lm.config().maxSeqLen();
    int rejected = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      String id = r.getString(r.fieldIndex("prompt_id"));
      String prompt = string(r, "prompt");
      RolloutRows.PromptInfo p =
          new RolloutRows.PromptInfo(
              prompt == null ? "" : prompt, string(r, "data_source"), string(r, "ground_truth"));
      if (prompt == null || prompt.isBlank()) {
        out.add(
            RolloutRows.rejected(
                id,
                modelId,
                p,
                new int[0],
                RolloutReason.EMPTY_PROMPT,
                "the prompt (the first user turn) is empty"));
        rejected++;
        continue;
      }
      int[] ids = lm.encodePrompt(prompt, cfg.chatTemplate());
      if (ids.length == 0 || ids.length >= limit) {
        out.add(
            RolloutRows.rejected(
                id,
                modelId,
                p,
                ids,
                RolloutReason.PROMPT_TOO_LONG,
                "the prompt has " + ids.length + " tokens; the model's context is " + limit));
        rejected++;
        continue;
      }
      inputs.add(new PromptInput(id, ids));
      info.put(id, p);
    }
    if (promptsDone != null && rejected > 0) {
      promptsDone.add(rejected);
    }
    long t0 = System.nanoTime();
    List<SampleResult> results =
        new Generator(lm)
            .generate(
                inputs,
                cfg.generation(),
                n -> {
                  if (promptsDone != null) {
                    promptsDone.add(n);
                  }
                });
    long tokens = 0;
    for (SampleResult s : results) {
      out.add(RolloutRows.of(s, modelId, info.get(s.promptId())));
      tokens += s.responseTokens();
    }
    LOG.info(
        "Rolled out {} prompts x {} samples on {} in {} ({} threads): {} tokens in {} ms",
        inputs.size(),
        cfg.generation().numSamples(),
        device,
        lm.dtype(),
        threads,
        tokens,
        (System.nanoTime() - t0) / 1_000_000);
    return out.iterator();
  }

  private static String string(Row r, String field) {
    int i = r.fieldIndex(field);
    return r.isNullAt(i) ? null : r.getString(i);
  }

  /** A device as the manifest names it: {@code cpu}, {@code gpu:0}, ... */
  static String deviceName(Device d) {
    return Device.Type.CPU.equals(d.getDeviceType()) ? "cpu" : "gpu:" + d.getDeviceId();
  }

  /** The GPUs libtorch sees in this JVM. */
  static int libtorchGpus() {
    return Engine.getEngine("PyTorch").getGpuCount();
  }

  /**
   * The device a task rolls out on. {@code cpu}: the CPU. {@code auto}: the GPU Spark assigned the
   * task when libtorch sees it, else the CPU. {@code gpu}: the GPU Spark assigned the task (or GPU
   * 0 when Spark assigns none, as in local mode); fails with exit 5 when libtorch sees no GPU.
   *
   * @param visibleGpus how many GPUs libtorch sees (a supplier, so {@code cpu} never loads it)
   */
  static Device device(String wanted, TaskContext tc, IntSupplier visibleGpus) {
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
    int visible = visibleGpus.getAsInt();
    if (visible > 0 && (address != null || wanted.equals("gpu"))) {
      int index = address == null ? 0 : Integer.parseInt(address.trim());
      return Device.gpu(index < visible ? index : 0);
    }
    if (wanted.equals("gpu")) {
      throw RolloutErrors.noGpu(executor(), address, visible);
    }
    if (address != null) {
      LOG.warn(
          "Spark assigned this task GPU {} but libtorch sees none (CPU-only libtorch?): device"
              + " auto uses the CPU",
          address);
    }
    return Device.cpu();
  }

  private static String executor() {
    SparkEnv env = SparkEnv.get();
    return env == null
        ? "this JVM"
        : "executor " + env.executorId() + " on " + env.blockManager().blockManagerId().host();
  }
}
