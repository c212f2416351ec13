package io.gristmill.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14, finding 7: two runs of one dataset never race. */
class DatasetLockTest {
  private static final Duration DAY = Duration.ofDays(1);

  private static org.apache.hadoop.fs.Path dir(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private static void writeLock(Path ds, String host, long pid, Instant started) throws Exception {
    Files.createDirectories(ds);
    Files.writeString(
        ds.resolve(DatasetLock.FILE),
        Json.mapper()
            .writeValueAsString(
                new DatasetLock.Holder(
                    "r-old", "refresh d", "alice", host, pid, started.toString())));
  }

  @Test
  void concurrentRunsLetExactlyOneHoldTheLock(@TempDir Path root) throws Exception {
    Path ds = root.resolve("d");
    int n = 6;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<DatasetLock>> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      runs.add(
          pool.submit(
              () -> {
                start.await();
                return DatasetLock.acquire(dir(ds), new Configuration(), "refresh d", DAY);
              }));
    }
    List<DatasetLock> held = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (Future<DatasetLock> f : runs) {
      try {
        held.add(f.get());
      } catch (java.util.concurrent.ExecutionException e) {
        GristmillException ge = (GristmillException) e.getCause();
        assertThat(ge.kind().exitCode()).isEqualTo(4);
        refused.add(ge.getMessage());
      }
    }
    pool.shutdown();
    assertThat(held).hasSize(1);
    assertThat(refused).hasSize(n - 1);
    DatasetLock.Holder h = held.get(0).holder();
    assertThat(refused.get(0))
        .startsWith("Cannot start refresh d on dataset ")
        .contains("another run holds its lock (refresh d by " + h.owner())
        .contains("pid " + ProcessHandle.current().pid())
        .contains("started " + h.startedAt());
    String content = Files.readString(ds.resolve(DatasetLock.FILE));
    assertThat(content).contains("\"host\"").contains("\"pid\"").contains("\"started_at\"");
    held.get(0).close();
    assertThat(ds.resolve(DatasetLock.FILE)).doesNotExist();
    // Released in close(): the next run gets it.
    DatasetLock.acquire(dir(ds), new Configuration(), "curate d", DAY).close();
  }

  @Test
  void lockOfAProcessThatIsNotRunningOnThisHostIsTakenOver(@TempDir Path root) throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long deadPid = p.pid();
    Path ds = root.resolve("d");
    writeLock(ds, DatasetLock.hostName(), deadPid, Instant.now());
    try (DatasetLock lock = DatasetLock.acquire(dir(ds), new Configuration(), "refresh d", DAY)) {
      assertThat(lock.takeover())
          .contains("Taking over the stale lock")
          .contains("its process " + deadPid + " on this host")
          .contains("is not running");
      assertThat(Files.readString(ds.resolve(DatasetLock.FILE))).contains(lock.holder().runId());
    }
  }

  @Test
  void liveLockOnAnotherHostIsRespectedUntilItIsOlderThanTheStaleAge(@TempDir Path root)
      throws Exception {
    Path ds = root.resolve("d");
    writeLock(ds, "other-host", 4242, Instant.now().minus(Duration.ofHours(2)));
    assertThatThrownBy(() -> DatasetLock.acquire(dir(ds), new Configuration(), "curate d", DAY))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("refresh d by alice on host other-host, pid 4242")
        .hasMessageContaining("if that run is dead on another host, delete ");
    try (DatasetLock lock =
        DatasetLock.acquire(dir(ds), new Configuration(), "curate d", Duration.ofHours(1))) {
      assertThat(lock.takeover()).contains("it is older than 60 minutes");
    }
  }

  @Test
  void closeLeavesALockThatIsNoLongerThisRuns(@TempDir Path root) throws Exception {
    Path ds = root.resolve("d");
    DatasetLock mine = DatasetLock.acquire(dir(ds), new Configuration(), "curate d", DAY);
    writeLock(ds, "other-host", 1, Instant.now());
    mine.close();
    assertThat(Files.readString(ds.resolve(DatasetLock.FILE))).contains("r-old");
  }
}
