package io.gristmill.bridge.shard;

import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a shard directory's manifest; a directory without one is refused. */
public final class ManifestIO {
  private ManifestIO() {}

  /**
   * The manifest of {@code dir}.
   *
   * @throws io.gristmill.core.GristmillException when {@code manifest.json} is absent (the export
   *     is incomplete or the directory is not a shard directory) or unreadable
   */
  public static ShardManifest read(Path dir) {
    Path p = dir.resolve(ShardManifest.FILE);
    if (!Files.isRegularFile(p)) {
      throw Errors.shardManifestMissing(dir.toString());
    }
    try {
      return Json.mapper().readValue(p.toFile(), ShardManifest.class);
    } catch (IOException e) {
      throw Errors.shardManifestUnreadable(p.toString(), e);
    }
  }
}
