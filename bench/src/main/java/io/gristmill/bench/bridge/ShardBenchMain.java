package io.gristmill.bench.bridge;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.gristmill.bridge.read.BatchIterator;
import io.gristmill.bridge.read.ReaderOptions;
import io.gristmill.bridge.read.ReaderState;
import io.gristmill.bridge.read.ShardDataset;
import io.gristmill.bridge.shard.ShardManifest;
import io.gristmill.bridge.shard.ShardSchemas;
import io.gristmill.bridge.shard.ShardWriteOptions;
import io.gristmill.bridge.shard.ShardWriterSparkStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Shard writing and reading throughput, with Spark's own Parquet writer as the baseline in the same
 * run. Rows are synthetic SFT rows ({@code id, source, input_ids, loss_mask, num_tokens}, 32 to 95
 * tokens each), generated and cached in Spark memory first so both writers measure writing only.
 *
 * <p>Then, per buffer compression ({@code none}, {@code lz4}, {@code zstd}), one line with the
 * shard bytes and the write and (warm, sequential) read rows/s of a smaller row count.
 *
 * <p>Usage: {@code ShardBenchMain [--rows N] [--partitions P] [--out DIR] [--repeat R]
 * [--codec-rows M]} ({@code --rows 0} runs only the codec lines, {@code --codec-rows 0} skips
 * them); see bench/README-bridge.md.
 */
public final class ShardBenchMain {
  private ShardBenchMain() {}

  public static void main(String[] args) throws Exception {
    long rows = 1_000_000;
    int partitions = 8;
    int repeat = 2;
    long codecRows = 200_000;
    Path out = Paths.get("/tmp/gristmill-bench-bridge");
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--rows" -> rows = Long.parseLong(args[i + 1]);
        case "--partitions" -> partitions = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Paths.get(args[i + 1]);
        case "--repeat" -> repeat = Integer.parseInt(args[i + 1]);
        case "--codec-rows" -> codecRows = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    SparkSession spark =
        SparkSession.builder()
            .master(System.getProperty("spark.master", "local[*]"))
            .appName("gristmill-bench-bridge")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", String.valueOf(partitions))
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      printMachine(spark);
      if (rows > 0) {
        run(spark, rows, partitions, repeat, out);
      }
      if (codecRows > 0) {
        codecs(spark, codecRows, partitions, out.resolve("codecs"));
      }
    } finally {
      spark.stop();
    }
  }

  static void printMachine(SparkSession spark) {
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores visible to the JVM, max heap %.1f GiB, %s %s; Spark master %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024),
        System.getProperty("os.name"),
        System.getProperty("java.version"),
        spark.sparkContext().master());
    System.out.printf(
        Locale.ROOT,
        "load average (1 min) at start: %.1f%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  static void run(SparkSession spark, long n, int partitions, int repeat, Path out)
      throws IOException {
    Dataset<Row> df = rows(spark, n, partitions);
    long t0 = System.nanoTime();
    long counted = df.count();
    System.out.printf(Locale.ROOT, "generated and cached %d rows in %.1f s%n", counted, secs(t0));
    runCached(df, n, repeat, out);
  }

  /** Synthetic SFT rows, cached in memory. */
  static Dataset<Row> rows(SparkSession spark, long n, int partitions) {
    return spark
        .range(0, n, 1, partitions)
        .select(
            concat(lit("r"), col("id").cast("string")).as("id"),
            expr("CASE WHEN id % 3 = 0 THEN 'alpha' ELSE 'beta' END").as("source"),
            expr("transform(sequence(0, CAST(32 + id % 64 AS INT) - 1), k -> CAST((id * 31 + k * 7) % 50000 AS INT))")
                .as("input_ids"),
            expr("transform(sequence(0, CAST(32 + id % 64 AS INT) - 1), k -> CAST(IF(k >= 16, 1, 0) AS TINYINT))")
                .as("loss_mask"),
            expr("CAST(32 + id % 64 AS INT)").as("num_tokens"))
        .persist(StorageLevel.MEMORY_ONLY());
  }

  static void runCached(Dataset<Row> df, long n, int repeat, Path out) throws IOException {
    double bestShard = Double.MAX_VALUE;
    double bestParquet = Double.MAX_VALUE;
    long shardBytes = 0;
    long parquetBytes = 0;
    Path shards = out.resolve("shards");
    for (int r = 0; r < repeat; r++) {
      delete(out);
      long s0 = System.nanoTime();
      df.write().parquet(out.resolve("parquet").toString());
      double p = secs(s0);
      parquetBytes = size(out.resolve("parquet"));
      long s1 = System.nanoTime();
      ShardManifest m =
          ShardWriterSparkStage.write(
              df,
              ShardSchemas.Kind.SFT,
              col("id"),
              new ShardWriteOptions(null, 64L * 1024 * 1024, null, 1024, 0L),
              shards.toString(),
              new ShardManifest.Lineage("bench", null, null, "bench", null));
      double s = secs(s1);
      shardBytes = m.totals().bytes();
      System.out.printf(
          Locale.ROOT,
          "run %d: spark parquet (snappy) %.2f s, %d files %.1f MB | gristmill shards %.2f s, %d"
              + " shards %.1f MB%n",
          r + 1,
          p,
          files(out.resolve("parquet")),
          parquetBytes / 1e6,
          s,
          m.totals().shards(),
          shardBytes / 1e6);
      bestParquet = Math.min(bestParquet, p);
      bestShard = Math.min(bestShard, s);
    }
    System.out.printf(
        Locale.ROOT,
        "WRITE best of %d  spark parquet: %.0f rows/s, %.1f MB/s (of %.1f MB logical data)%n",
        repeat,
        n / bestParquet,
        shardBytes / 1e6 / bestParquet,
        shardBytes / 1e6);
    System.out.printf(
        Locale.ROOT,
        "WRITE best of %d  gristmill shards: %.0f rows/s, %.1f MB/s  -> ratio shards/parquet"
            + " speed %.2fx%n",
        repeat,
        n / bestShard,
        shardBytes / 1e6 / bestShard,
        bestParquet / bestShard);
    df.unpersist();

    read(shards, false, 0, shardBytes, n);
    read(shards, true, 4096, shardBytes, n);
    read(shards, false, 0, shardBytes, n);
  }

  /**
   * One line per buffer compression: shard bytes, best-of-2 write rows/s and the warm sequential
   * read rows/s (second of two passes) of {@code n} rows.
   */
  static void codecs(SparkSession spark, long n, int partitions, Path out) throws IOException {
    Dataset<Row> df = rows(spark, n, partitions);
    df.count();
    long plainBytes = 0;
    // untimed warm-up write and read, so the first codec measured does not pay for the JIT
    Path warm = out.resolve("warm-up");
    delete(warm);
    ShardWriterSparkStage.write(
        df,
        ShardSchemas.Kind.SFT,
        col("id"),
        new ShardWriteOptions(null, 64L * 1024 * 1024, null, 1024, 0L),
        warm.toString(),
        new ShardManifest.Lineage("bench", null, null, "bench", null));
    readRowsPerSecond(warm, n);
    for (String codec : ShardWriteOptions.COMPRESSIONS) {
      double best = Double.MAX_VALUE;
      long bytes = 0;
      Path dir = out.resolve(codec);
      for (int r = 0; r < 2; r++) {
        delete(dir);
        long t0 = System.nanoTime();
        ShardManifest m =
            ShardWriterSparkStage.write(
                df,
                ShardSchemas.Kind.SFT,
                col("id"),
                new ShardWriteOptions(null, 64L * 1024 * 1024, null, 1024, 0L, codec),
                dir.toString(),
                new ShardManifest.Lineage("bench", null, null, "bench", null));
        best = Math.min(best, secs(t0));
        bytes = m.totals().bytes();
      }
      if (codec.equals("none")) {
        plainBytes = bytes;
      }
      readRowsPerSecond(dir, n);
      double readRate = readRowsPerSecond(dir, n);
      System.out.printf(
          Locale.ROOT,
          "CODEC %-4s %d rows: %.1f MB on disk (%.2fx of none), write %.0f rows/s (best of 2),"
              + " read %.0f rows/s (warm, sequential, single thread)%n",
          codec,
          n,
          bytes / 1e6,
          plainBytes == 0 ? 1.0 : (double) bytes / plainBytes,
          n / best,
          readRate);
    }
    df.unpersist();
    delete(out);
  }

  static double readRowsPerSecond(Path dir, long n) {
    try (ShardDataset ds = ShardDataset.open(dir, false);
        BatchIterator it =
            ds.epoch(new ReaderOptions(0, 1, 1, false, 0, 1024), ReaderState.start(0))) {
      long t0 = System.nanoTime();
      long rows = 0;
      while (it.hasNext()) {
        rows += it.next().getRowCount();
      }
      if (rows != n) {
        throw new IllegalStateException("read " + rows + " rows, expected " + n);
      }
      return rows / secs(t0);
    }
  }

  static void read(Path dir, boolean shuffle, int window, long bytes, long n) {
    try (ShardDataset ds = ShardDataset.open(dir, false)) {
      long t0 = System.nanoTime();
      long rows = 0;
      long checksum = 0;
      try (BatchIterator it =
          ds.epoch(new ReaderOptions(0, 1, 1, shuffle, window, 1024), ReaderState.start(0))) {
        while (it.hasNext()) {
          VectorSchemaRoot b = it.next();
          rows += b.getRowCount();
          checksum += ((org.apache.arrow.vector.IntVector) b.getVector("num_tokens")).get(0);
        }
      }
      double s = secs(t0);
      System.out.printf(
          Locale.ROOT,
          "READ single thread, shuffle=%s window=%d: %d rows in %.2f s = %.0f rows/s, %.1f MB/s"
              + " (check %d)%n",
          shuffle,
          window,
          rows,
          s,
          rows / s,
          bytes / 1e6 / s,
          checksum);
      if (rows != n) {
        throw new IllegalStateException("read " + rows + " rows, expected " + n);
      }
    }
  }

  static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static long size(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  static long files(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(f -> f.getFileName().toString().startsWith("part-")).count();
    }
  }

  static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
