package io.gristmill.jobs.refresh;

import io.gristmill.core.snapshot.PublishFaults;
import io.gristmill.jobs.GristmillMain;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The CLI ({@link GristmillMain}) in a child JVM that stops at one named step of publication, so
 * that a test can SIGKILL it there: at the step named by {@value #STEP} it writes {@value
 * #MARKER}'s file (the step, the path it was about to write, this JVM's PID) and sleeps until it is
 * killed. Steps are {@link PublishFaults}' ({@code write:data}, {@code write:rejected}, {@code
 * write:<state>}, {@code summary}, {@code manifest}, {@code latest}) and {@value
 * StallingLocalFs#RENAME_STEP} (after the {@code LATEST} temp file is written, before its rename;
 * {@link StallingLocalFs} must then be the {@code file:} {@code AbstractFileSystem}). Test code
 * only.
 */
public final class StallAtPublishStepMain {
  static final String STEP = "gristmill.test.stall.step";
  static final String MARKER = "gristmill.test.stall.marker";

  /** Longer than any test waits: the test kills the JVM long before. */
  private static final long SLEEP_MILLIS = 300_000L;

  private StallAtPublishStepMain() {}

  public static void main(String[] args) {
    String step = System.getProperty(STEP);
    if (step != null && !step.equals(StallingLocalFs.RENAME_STEP)) {
      PublishFaults.inject(
          (at, path) -> {
            if (at.equals(step)) {
              stall(at + " " + path);
            }
          });
    }
    GristmillMain.main(args);
  }

  /** Publishes the marker (atomically) and sleeps until the test kills this JVM. */
  static void stall(String what) throws IOException {
    Path marker = Path.of(System.getProperty(MARKER));
    Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
    Files.writeString(
        tmp, what + "\npid " + ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
    try {
      Thread.sleep(SLEEP_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("stalled publication step interrupted: " + what);
    }
    throw new IOException("the test did not kill this JVM at " + what + " within 5 minutes");
  }
}
