package io.gristmill.core.snapshot;

import java.io.IOException;

/**
 * A test hook into publication: a test installs a {@link Fault} that throws at a named step, as the
 * environment would (e.g. {@code new IOException("No space left on device")}), to check how a run
 * fails and what it leaves behind. Steps: {@code write:data}, {@code write:rejected}, {@code
 * write:<output>}, {@code summary}, {@code manifest}, {@code latest}. Never set in production.
 */
public final class PublishFaults {
  /** A fault at one step. */
  @FunctionalInterface
  public interface Fault {
    void at(String step, String path) throws IOException;
  }

  private static volatile Fault fault;

  private PublishFaults() {}

  public static void inject(Fault f) {
    fault = f;
  }

  public static void clear() {
    fault = null;
  }

  static void at(String step, String path) throws IOException {
    Fault f = fault;
    if (f != null) {
      f.at(step, path);
    }
  }
}
