package io.gristmill.rollout.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 made from the test JVM's Maven jars (no Spark
 * distribution): a temp SPARK_HOME whose {@code jars/} links every classpath jar, a Master and N
 * Workers as child JVMs with the test JVM's flags. Project classes that are folders on the test
 * classpath are not linked: pass them to {@link #jarOf} and ship the jar with {@code spark.jars}.
 * {@link #close} stops the children by PID.
 */
public final class StandaloneCluster implements AutoCloseable {
  private final Path home;
  private final List<Process> processes = new ArrayList<>();
  private final String masterUrl;
  private final List<String> jvmFlags;

  private StandaloneCluster(Path home, String masterUrl, List<String> jvmFlags) {
    this.home = home;
    this.masterUrl = masterUrl;
    this.jvmFlags = jvmFlags;
  }

  /** Starts a Master and {@code workers} Workers (each {@code cores} cores, 1500 MB). */
  public static StandaloneCluster start(int workers, int cores) throws IOException {
    Path home = Files.createTempDirectory("gristmill-spark-home-");
    Path jars = Files.createDirectories(home.resolve("jars"));
    int i = 0;
    for (String entry : testClassPath()) {
      Path p = Paths.get(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Files.createSymbolicLink(jars.resolve(String.format("%03d-%s", i++, p.getFileName())), p);
      }
    }
    int port = freePort();
    StandaloneCluster c = new StandaloneCluster(home, "spark://127.0.0.1:" + port, jvmFlags());
    try {
      c.launch(
          "master",
          "org.apache.spark.deploy.master.Master",
          "--host",
          "127.0.0.1",
          "--port",
          String.valueOf(port),
          "--webui-port",
          String.valueOf(freePort()));
      waitForPort(port, 60_000);
      for (int w = 0; w < workers; w++) {
        c.launch(
            "worker" + w,
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            String.valueOf(cores),
            "--memory",
            "1500m",
            "--webui-port",
            String.valueOf(freePort()),
            "--work-dir",
            Files.createDirectories(home.resolve("work" + w)).toString(),
            c.masterUrl);
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  public String masterUrl() {
    return masterUrl;
  }

  /** The JVM flags of the test JVM ({@code --add-opens ...}, {@code -D...}), for executors. */
  public String executorJavaOptions() {
    return String.join(" ", jvmFlags);
  }

  /** Path of the log file of a child ({@code master}, {@code worker0}, ...). */
  public Path log(String name) {
    return home.resolve(name + ".log");
  }

  /** Packs class folders into one jar (for {@code spark.jars}). */
  public Path jarOf(Path... classDirs) throws IOException {
    Path jar = home.resolve("app-" + System.nanoTime() + ".jar");
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os)) {
      for (Path dir : classDirs) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
            out.putNextEntry(
                new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
            Files.copy(f, out);
            out.closeEntry();
          }
        }
      }
    }
    return jar;
  }

  private void launch(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(home.resolve("jars").toString() + File.separator + "*");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.redirectErrorStream(true);
    pb.redirectOutput(log(name).toFile());
    processes.add(pb.start());
  }

  /** Stops every child JVM by its PID, workers first, and waits for them. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    processes.clear();
  }

  private static List<String> testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    return List.of(cp.split(File.pathSeparator));
  }

  private static List<String> jvmFlags() {
    List<String> flags = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-D")) {
        flags.add(a);
      }
    }
    if (!flags.contains("-Dai.djl.offline=true")) {
      flags.add("-Dai.djl.offline=true");
    }
    return flags;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void waitForPort(int port, long millis) throws IOException {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        ignored.getPort();
        return;
      } catch (IOException e) {
        sleep();
      }
    }
    throw new IOException("Spark master did not open port " + port + " within " + millis + " ms");
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
