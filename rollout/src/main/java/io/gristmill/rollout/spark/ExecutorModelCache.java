package io.gristmill.rollout.spark;

import ai.djl.Device;
import io.gristmill.core.Errors;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.ComputeDtype;
import io.gristmill.rollout.RewardModel;
import io.gristmill.rollout.encoder.BertEncoder;
import io.gristmill.rollout.encoder.VectorSearch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model (causal LM, reward model or sentence encoder) per (model path, device) per JVM:
 * the first task on an executor loads it, later tasks reuse it, and a shutdown hook closes them
 * all. Models are never serialized from the driver. A non-local path ({@code hdfs://}, {@code
 * s3a://}) is first copied to a local temp folder.
 */
public final class ExecutorModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorModelCache.class);
  private static final Map<String, CausalLm> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, RewardModel> REWARD_MODELS = new ConcurrentHashMap<>();
  private static final Map<String, BertEncoder> ENCODERS = new ConcurrentHashMap<>();
  private static final Map<String, VectorSearch> VECTORS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModelCache::closeAll, "model-cache"));
  }

  private ExecutorModelCache() {}

  public static CausalLm get(String modelPath, Device device) {
    return get(modelPath, device, ComputeDtype.AUTO);
  }

  /** The model loaded once per JVM, device and dtype ({@link ComputeDtype}). */
  public static CausalLm get(String modelPath, Device device, String dtype) {
    String resolved = ComputeDtype.resolve(dtype, device);
    return MODELS.computeIfAbsent(
        modelPath + "|" + device + "|" + resolved,
        k -> {
          long t0 = System.nanoTime();
          CausalLm lm = CausalLm.load(localCopy(modelPath), device, resolved);
          int n = LOADS.incrementAndGet();
          LOG.info(
              "Loaded model {} on {} in {} ms (loads in this JVM: {})",
              modelPath,
              device,
              (System.nanoTime() - t0) / 1_000_000,
              n);
          return lm;
        });
  }

  /** The reward model ({@code *ForSequenceClassification}) loaded once per JVM and device. */
  public static RewardModel rewardModel(String modelPath, Device device) {
    return once(REWARD_MODELS, "reward model", modelPath, device, p -> RewardModel.load(p, device));
  }

  /** The sentence encoder (BERT family, {@link BertEncoder}) loaded once per JVM and device. */
  public static BertEncoder encoder(String modelPath, Device device) {
    return once(ENCODERS, "sentence encoder", modelPath, device, p -> BertEncoder.load(p, device));
  }

  /**
   * Vectors on a device built once per JVM for {@code key} (e.g. a broadcast's id): the first task
   * builds them, later tasks of the same run reuse them; kept until the JVM ends.
   */
  public static VectorSearch vectorSearch(
      String key, Device device, java.util.function.Supplier<VectorSearch> build) {
    return VECTORS.computeIfAbsent(key + "|" + device, k -> build.get());
  }

  private static <T> T once(
      Map<String, T> cache,
      String what,
      String modelPath,
      Device device,
      java.util.function.Function<Path, T> load) {
    return cache.computeIfAbsent(
        modelPath + "|" + device,
        k -> {
          long t0 = System.nanoTime();
          T model = load.apply(localCopy(modelPath));
          LOG.info(
              "Loaded {} {} on {} in {} ms",
              what,
              modelPath,
              device,
              (System.nanoTime() - t0) / 1_000_000);
          return model;
        });
  }

  /** How many models this JVM has loaded (the integration test checks it is one per executor). */
  public static int loadCount() {
    return LOADS.get();
  }

  static synchronized void closeAll() {
    MODELS.values().forEach(CausalLm::close);
    MODELS.clear();
    REWARD_MODELS.values().forEach(RewardModel::close);
    REWARD_MODELS.clear();
    ENCODERS.values().forEach(BertEncoder::close);
    ENCODERS.clear();
    VECTORS.values().forEach(VectorSearch::close);
    VECTORS.clear();
  }

  private static Path localCopy(String modelPath) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(modelPath);
    String scheme = p.toUri().getScheme();
    if (scheme == null || scheme.equals("file")) {
      return Paths.get(p.toUri().getPath());
    }
    try {
      Path dir = Files.createTempDirectory("gristmill-model-");
      FileSystem fs = p.getFileSystem(new Configuration());
      fs.copyToLocalFile(false, p, new org.apache.hadoop.fs.Path(dir.toUri()), true);
      return dir.resolve(p.getName());
    } catch (IOException e) {
      throw Errors.resourceFailed("model", modelPath, e);
    }
  }
}
