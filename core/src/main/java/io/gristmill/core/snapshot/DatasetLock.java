package io.gristmill.core.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gristmill.core.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock that keeps two runs ({@code curate}, {@code refresh}) of one dataset from racing: the
 * file {@code ROOT/DATASET/LOCK} on the output file system, a JSON object naming its owner, host,
 * pid, command and start time. It is created atomically (a hard link on the local file system, a
 * rename that fails when the target exists on HDFS, a write-then-read-back on object stores), and
 * deleted in {@code close()} only while it is still this run's.
 *
 * <p>A lock is <b>stale</b>, and taken over with a warning, when its process is not alive on this
 * same host, or when it is older than {@link SnapshotPolicy#lockStaleAfterMinutes()} (a run that
 * died on another host cannot be checked). Otherwise acquiring fails at once (exit 4) with a
 * message naming the holder.
 */
public final class DatasetLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetLock.class);
  public static final String FILE = "LOCK";

  /** What the lock file holds. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Holder(
      String runId, String command, String owner, String host, long pid, String startedAt) {
    String describe() {
      return String.format(
          "%s by %s on host %s, pid %d, started %s", command, owner, host, pid, startedAt);
    }
  }

  private final FileSystem fs;
  private final Path file;
  private final Holder holder;
  private final String takeover;

  private DatasetLock(FileSystem fs, Path file, Holder holder, String takeover) {
    this.fs = fs;
    this.file = file;
    this.holder = holder;
    this.takeover = takeover;
  }

  /** The lock of {@code datasetDir}, or a failure naming the run that holds it. */
  public static DatasetLock acquire(
      Path datasetDir, Configuration conf, String command, Duration staleAfter) {
    Path file = new Path(datasetDir, FILE);
    try {
      FileSystem fs = datasetDir.getFileSystem(conf);
      fs.mkdirs(datasetDir);
      Holder me =
          new Holder(
              UUID.randomUUID().toString(),
              command,
              System.getProperty("user.name", "?"),
              hostName(),
              ProcessHandle.current().pid(),
              Instant.now().toString());
      byte[] json = Json.mapper().writeValueAsBytes(me);
      String takeover = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        if (tryCreate(fs, file, json, me.runId())) {
          if (takeover != null) {
            LOG.warn("{}", takeover);
          }
          return new DatasetLock(fs, file, me, takeover);
        }
        Optional<Holder> other = read(fs, file);
        String stale = staleReason(fs, file, other, staleAfter);
        if (stale == null) {
          String who = other.map(Holder::describe).orElse("a run whose lock file is being written");
          throw Errors.datasetLocked(datasetDir.toString(), command, who, file.toString());
        }
        takeover =
            String.format(
                "Taking over the stale lock %s of dataset %s: %s.", file, datasetDir, stale);
        Path aside = new Path(datasetDir, "." + FILE + "." + me.runId() + ".stale");
        if (fs.rename(file, aside)) {
          fs.delete(aside, false);
        }
      }
      throw Errors.datasetLocked(
          datasetDir.toString(), command, "runs that keep taking it", file.toString());
    } catch (IOException e) {
      throw Errors.outputFailed("the dataset lock", file.toString(), e);
    }
  }

  public Holder holder() {
    return holder;
  }

  /** The warning when this run took over a stale lock, else null. */
  public String takeover() {
    return takeover;
  }

  /** Deletes the lock file if it is still this run's; never fails the run. */
  @Override
  public void close() {
    try {
      Optional<Holder> now = read(fs, file);
      if (now.isPresent() && now.get().runId().equals(holder.runId())) {
        fs.delete(file, false);
      } else {
        LOG.warn("The lock {} is no longer this run's; leaving it.", file);
      }
    } catch (IOException e) {
      LOG.warn("Cannot release the lock {}: {}", file, e.toString());
    }
  }

  /**
   * Why {@code other} is stale, or null when it must be respected. A lock file that cannot be read
   * counts as being written for a minute, then as stale.
   */
  static String staleReason(FileSystem fs, Path file, Optional<Holder> other, Duration staleAfter)
      throws IOException {
    if (other.isEmpty()) {
      if (!fs.exists(file)) {
        return "it was released meanwhile";
      }
      long age = System.currentTimeMillis() - fs.getFileStatus(file).getModificationTime();
      return age > 60_000 ? "its content cannot be read and it is " + age / 1000 + " s old" : null;
    }
    Holder h = other.get();
    if (h.host() != null
        && h.host().equals(hostName())
        && !ProcessHandle.of(h.pid()).map(ProcessHandle::isAlive).orElse(false)) {
      return String.format(
          "its process %d on this host (%s) is not running (%s)", h.pid(), h.host(), h.describe());
    }
    Instant started;
    try {
      started = Instant.parse(h.startedAt());
    } catch (RuntimeException e) {
      return "its start time '" + h.startedAt() + "' cannot be read";
    }
    if (started.plus(staleAfter).isBefore(Instant.now())) {
      return String.format(
          "it is older than %d minutes (%s; lock_stale_after_minutes)",
          staleAfter.toMinutes(), h.describe());
    }
    return null;
  }

  private static boolean tryCreate(FileSystem fs, Path file, byte[] json, String runId)
      throws IOException {
    String scheme = fs.getUri().getScheme();
    Path tmp = new Path(file.getParent(), "." + FILE + "." + runId + ".tmp");
    if ("file".equals(scheme)) {
      java.nio.file.Path target = java.nio.file.Path.of(file.toUri().getPath());
      java.nio.file.Path t = java.nio.file.Path.of(tmp.toUri().getPath());
      Files.write(t, json);
      try {
        // link(2) fails when the target exists: the only atomic create-with-content here.
        Files.createLink(target, t);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } finally {
        Files.deleteIfExists(t);
      }
    }
    if (fs.exists(file)) {
      return false;
    }
    if ("hdfs".equals(scheme) || "viewfs".equals(scheme)) {
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(json);
      }
      boolean ok = fs.rename(tmp, file); // fails when the target exists, atomically
      if (!ok) {
        fs.delete(tmp, false);
      }
      return ok;
    }
    // Object stores: one PUT, then read back; the last writer of a race wins and the others see it.
    try (OutputStream out = fs.create(file, false)) {
      out.write(json);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
    return read(fs, file).map(h -> h.runId().equals(runId)).orElse(false);
  }

  static Optional<Holder> read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return Optional.of(Json.mapper().readValue(in.readAllBytes(), Holder.class));
    } catch (java.io.FileNotFoundException | NoSuchFileException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return Optional.empty();
    }
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String h = System.getenv("HOSTNAME");
      return h == null ? "unknown-host" : h;
    }
  }
}
