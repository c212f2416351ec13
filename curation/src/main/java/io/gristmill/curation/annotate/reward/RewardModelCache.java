package io.gristmill.curation.annotate.reward;

import ai.djl.Device;
import io.gristmill.core.Errors;
import io.gristmill.rollout.RewardModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded reward model per (path, device) per JVM, as the rollout stage's model cache: the first
 * task on an executor loads it, later tasks reuse it, a shutdown hook closes them. A non-local path
 * is first copied to a local temp folder.
 */
final class RewardModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(RewardModelCache.class);
  private static final Map<String, RewardModel> MODELS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(RewardModelCache::closeAll, "rm-cache"));
  }

  private RewardModelCache() {}

  static RewardModel get(String modelPath, Device device) {
    return MODELS.computeIfAbsent(
        modelPath + "|" + device,
        k -> {
          long t0 = System.nanoTime();
          RewardModel rm = RewardModel.load(localCopy(modelPath), device);
          LOG.info(
              "Loaded reward model {} on {} in {} ms",
              modelPath,
              device,
              (System.nanoTime() - t0) / 1_000_000);
          return rm;
        });
  }

  static synchronized void closeAll() {
    MODELS.values().forEach(RewardModel::close);
    MODELS.clear();
  }

  private static Path localCopy(String modelPath) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(modelPath);
    String scheme = p.toUri().getScheme();
    if (scheme == null || scheme.equals("file")) {
      return Paths.get(p.toUri().getPath());
    }
    try {
      Path dir = Files.createTempDirectory("gristmill-rm-");
      FileSystem fs = p.getFileSystem(new Configuration());
      fs.copyToLocalFile(false, p, new org.apache.hadoop.fs.Path(dir.toUri()), true);
      return dir.resolve(p.getName());
    } catch (IOException e) {
      throw Errors.resourceFailed("reward model", modelPath, e);
    }
  }
}
