package io.gristmill.core.snapshot;

import io.gristmill.core.config.Check;
import java.net.URI;
import java.util.List;

/**
 * How a dataset's snapshots are kept and published (the {@code snapshots:} section of a job
 * config).
 *
 * @param keepLast how many complete snapshots to keep after a successful run (older ones are
 *     deleted, never the one {@code LATEST} names); null keeps all
 * @param lockStaleAfterMinutes a dataset lock older than this is taken over as stale (default 1440,
 *     one day), even when its host cannot be checked
 * @param publication {@code rename} (temporary file, then atomic rename over: local, HDFS), {@code
 *     pointer} (each small file written once, in one stream: object stores, where rename is a copy
 *     and not atomic), or {@code auto} (default: by the URI scheme)
 */
public record SnapshotPolicy(Integer keepLast, Integer lockStaleAfterMinutes, String publication) {
  public static final List<String> PUBLICATIONS = List.of("auto", "rename", "pointer");

  public SnapshotPolicy {
    if (keepLast != null) {
      keepLast = Check.intInRange("keep_last", keepLast, 1, 1, 100_000);
    }
    lockStaleAfterMinutes =
        Check.intInRange("lock_stale_after_minutes", lockStaleAfterMinutes, 1440, 1, 525_600);
    publication = Check.oneOf("publication", publication, "auto", PUBLICATIONS);
  }

  public static SnapshotPolicy defaults() {
    return new SnapshotPolicy(null, null, null);
  }

  /**
   * Whether {@code root} is published by pointer writes: {@code pointer}, or {@code auto} on a
   * scheme other than the local file system, HDFS and viewfs (whose renames are atomic).
   */
  public boolean pointerPublication(URI root) {
    return switch (publication) {
      case "pointer" -> true;
      case "rename" -> false;
      default -> {
        String s = root.getScheme();
        yield !(s == null || s.equals("file") || s.equals("hdfs") || s.equals("viewfs"));
      }
    };
  }
}
