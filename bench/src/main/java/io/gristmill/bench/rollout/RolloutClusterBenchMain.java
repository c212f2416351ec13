package io.gristmill.bench.rollout;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import io.gristmill.rollout.spark.ExecutorModelCache;
import io.gristmill.rollout.spark.RolloutConfig;
import io.gristmill.rollout.spark.RolloutJob;
import io.gristmill.rollout.testing.StandaloneCluster;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * End-to-end prompts per second of the rollout job ({@link RolloutJob}: read prompts, generate in
 * the executors, write the snapshot) on a 2-worker Spark standalone cluster started on 127.0.0.1
 * (Master and Workers as child JVMs, 1 core each), against the same work in one {@code local[1]}
 * session in the same run (see bench/README-rollout.md).
 *
 * <p>Args: {@code [sharedDataDir] [prompts] [samples] [maxNewTokens] [all|stories|15m]}, defaults
 * {@code ../shared/data 64 4 64 all}. Prompts are the first GSM8K test questions; models are
 * stories260K and the ~15M random Llama of {@link TinyCheckpointSpec#llama15m()}. Each model runs
 * twice per mode: {@code cold} (includes the model load) and {@code warm}. Sampling at temperature
 * 1 with {@code ignore_eos}, so both modes generate exactly the same tokens. Child JVMs are stopped
 * by PID at the end, on failure, and from a shutdown hook.
 */
public final class RolloutClusterBenchMain {
  private static final int PARTITIONS = 4;

  private RolloutClusterBenchMain() {}

  /** One timed job run. */
  private record Run(
      String model, String mode, String run, long prompts, long samples, long tokens, double s) {}

  public static void main(String[] args) throws Exception {
    Path shared =
        Paths.get(args.length > 0 ? args[0] : "../shared/data").toAbsolutePath().normalize();
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int k = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int newTokens = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    String which = args.length > 4 ? args[4] : "all";
    System.out.println(machine("start"));
    Path tmp = Files.createTempDirectory("gristmill-rollout-cluster-bench-");
    Path prompts = tmp.resolve("gsm8k-test-" + n + ".jsonl");
    try (var lines = Files.lines(shared.resolve("rl_prompts/gsm8k/test.jsonl"))) {
      Files.write(prompts, lines.limit(n).collect(Collectors.toList()));
    }
    Map<String, Path> models = new LinkedHashMap<>();
    if (!which.equals("15m")) {
      models.put("stories260K", shared.resolve("models/stories260K"));
    }
    if (!which.equals("stories")) {
      Path m15 = tmp.resolve("llama15m");
      TinyCheckpointWriter.write(m15, TinyCheckpointSpec.llama15m());
      models.put("llama15m", m15);
    }
    GenerationParams gen =
        GenerationParams.defaults()
            .withMaxNewTokens(newTokens)
            .withNumSamples(k)
            .withSeed(17)
            .withIgnoreEos(true);
    System.out.printf(
        Locale.ROOT,
        "work: %d GSM8K test prompts x %d samples x %d new tokens (ignore_eos, temperature 1,"
            + " batch %d), %d partitions, chat template on%n",
        n,
        k,
        newTokens,
        gen.batchSize(),
        PARTITIONS);
    List<Run> runs = new ArrayList<>();
    List<String> loads = new ArrayList<>();
    long t0 = System.nanoTime();
    StandaloneCluster cluster = StandaloneCluster.start(2, 1);
    Thread hook = new Thread(cluster::close, "stop-standalone-cluster");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Path appJar = cluster.jarOf(classDirs().toArray(Path[]::new));
      SparkSession spark =
          base("gristmill-rollout-cluster-bench")
              .master(cluster.masterUrl())
              .config("spark.jars", appJar.toString())
              .config("spark.executor.extraJavaOptions", cluster.executorJavaOptions())
              .config("spark.executor.memory", "1g")
              .config("spark.executor.cores", "1")
              .config("spark.cores.max", "2")
              .getOrCreate();
      try {
        waitForExecutors(spark, 2, cluster);
        System.out.printf(
            Locale.ROOT,
            "cluster up (master + 2 workers + 2 executors) in %.1f s%n",
            (System.nanoTime() - t0) / 1e9);
        for (var m : models.entrySet()) {
          runs.addAll(runBoth(spark, m.getKey(), m.getValue(), prompts, gen, "cluster", tmp));
          loads.add(m.getKey() + ", cluster: loads so far per executor JVM " + probe(spark));
        }
      } finally {
        stop(spark);
      }
    } finally {
      cluster.close();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    System.out.println(machine("after cluster runs"));

    SparkSession local = base("gristmill-rollout-local1-bench").master("local[1]").getOrCreate();
    try {
      for (var m : models.entrySet()) {
        runs.addAll(runBoth(local, m.getKey(), m.getValue(), prompts, gen, "local[1]", tmp));
        loads.add(
            m.getKey() + ", local[1]: loads so far in the JVM " + ExecutorModelCache.loadCount());
      }
    } finally {
      stop(local);
    }
    report(runs, loads);
    System.out.println(machine("end"));
  }

  private static SparkSession.Builder base(String app) {
    return SparkSession.builder()
        .appName(app)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", String.valueOf(PARTITIONS));
  }

  private static List<Run> runBoth(
      SparkSession spark,
      String name,
      Path model,
      Path prompts,
      GenerationParams gen,
      String mode,
      Path tmp) {
    RolloutConfig cfg =
        new RolloutConfig(
            model.toString(),
            prompts.toString(),
            "jsonl",
            "question",
            null,
            "rollouts",
            name,
            true,
            "cpu",
            null,
            PARTITIONS,
            gen);
    List<Run> out = new ArrayList<>();
    for (String run : List.of("cold", "warm")) {
      String root =
          tmp.resolve("out-" + mode.replaceAll("\\W", "") + "-" + name + "-" + run).toString();
      long t = System.nanoTime();
      RolloutJob.Result r = RolloutJob.run(spark, cfg, root);
      double s = (System.nanoTime() - t) / 1e9;
      Row agg =
          spark
              .read()
              .parquet(r.snapshotDir() + "/data")
              .agg(count("*"), sum("response_tokens"))
              .first();
      long samples = agg.getLong(0);
      long tokens = agg.isNullAt(1) ? 0 : agg.getLong(1);
      Run one = new Run(name, mode, run, samples / gen.numSamples(), samples, tokens, s);
      System.out.println(row(one) + " load average " + loadAverage());
      out.add(one);
    }
    return out;
  }

  private static void report(List<Run> runs, List<String> loads) {
    System.out.println();
    System.out.println(
        "| model | mode | run | prompts | samples | generated tokens | seconds | prompts/s |"
            + " tokens/s |");
    System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|");
    runs.forEach(r -> System.out.println(row(r)));
    System.out.println();
    int half = runs.size() / 2; // cluster runs first, then the same runs on local[1]
    for (int i = 0; i < half; i++) {
      Run c = runs.get(i);
      double ratio = runs.get(i + half).s() / c.s();
      System.out.printf(
          Locale.ROOT, "%s %s: cluster / local[1] = %.2fx prompts/s%n", c.model(), c.run(), ratio);
    }
    loads.forEach(System.out::println);
  }

  private static String row(Run r) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %d | %d | %,d | %.2f | %.2f | %,.0f |",
        r.model(),
        r.mode(),
        r.run(),
        r.prompts(),
        r.samples(),
        r.tokens(),
        r.s(),
        r.prompts() / r.s(),
        r.tokens() / r.s());
  }

  /** Per executor JVM (by PID), how many models its {@link ExecutorModelCache} has loaded. */
  private static Map<Long, Integer> probe(SparkSession spark) {
    Map<Long, Integer> perJvm = new TreeMap<>();
    for (String s :
        spark
            .range(0, 16, 1, 16)
            .mapPartitions(
                (MapPartitionsFunction<Long, String>)
                    it ->
                        List.of(
                                ProcessHandle.current().pid()
                                    + ":"
                                    + ExecutorModelCache.loadCount())
                            .iterator(),
                Encoders.STRING())
            .collectAsList()) {
      String[] kv = s.split(":");
      perJvm.put(Long.parseLong(kv[0]), Integer.parseInt(kv[1]));
    }
    return perJvm;
  }

  private static void waitForExecutors(SparkSession spark, int executors, StandaloneCluster c)
      throws InterruptedException {
    long end = System.currentTimeMillis() + 120_000;
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
      if (System.currentTimeMillis() > end) {
        throw new IllegalStateException(
            "executors did not register within 120 s; see " + c.log("worker0"));
      }
      Thread.sleep(250);
    }
  }

  /** Class folders on the classpath (this module, or project modules run from their builds). */
  private static List<Path> classDirs() {
    List<Path> dirs = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (Files.isDirectory(Paths.get(e))) {
        dirs.add(Paths.get(e));
      }
    }
    return dirs;
  }

  private static void stop(SparkSession spark) {
    spark.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  private static String machine(String when) {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return String.format(
        Locale.ROOT,
        "machine (%s): %d cores, %.1f GiB, load average %s, %s %s, Java %s",
        when,
        Runtime.getRuntime().availableProcessors(),
        os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
        loadAverage(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"));
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "unknown";
    }
  }
}
