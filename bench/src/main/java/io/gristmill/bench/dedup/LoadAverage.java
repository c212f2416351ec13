package io.gristmill.bench.dedup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1/5/15-minute load averages, to record how shared the machine was. */
final class LoadAverage {
  private LoadAverage() {}

  /** "1.23 2.34 3.45" from /proc/loadavg, or the JVM's 1-minute figure where that is absent. */
  static String now() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return String.format(
          "%.2f (1 min)",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }
}
