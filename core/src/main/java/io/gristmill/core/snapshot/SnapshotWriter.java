package io.gristmill.core.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.Errors;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.spark.DeterministicParquet;
import io.gristmill.core.spark.SparkFiles;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.SavedState;
import io.gristmill.core.stage.StageReport;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The one snapshot writer every job publishes through. It owns the snapshot id, the folder layout,
 * deterministic file placement and names ({@code part-00000.parquet}, rows placed by a hash of a
 * key and sorted), the check that {@code data/} satisfies the declared {@link DatasetKind}, the
 * manifest, {@code summary.txt}, the atomic commit (manifest, then {@code LATEST}), the removal of
 * {@code .crc}/{@code _SUCCESS} clutter, and the release of cached data.
 *
 * <pre>{@code
 * SnapshotWriter w = SnapshotWriter.begin(spark, root, dataset, "rollout", DatasetKind.ROLLOUT);
 * w.writeData(rows, 1, "prompt_id", "prompt_id", "sample_index");
 * w.writeRejected(rejected);
 * SnapshotWriter.Published p = w.commit(new SnapshotWriter.Commit(inputs, config, stages, ...));
 * }</pre>
 */
public final class SnapshotWriter {
  private final SparkSession spark;
  private SnapshotStore store;
  private final String dataset;
  private final String job;
  private final DatasetKind kind;
  private final String id;
  private final long startNanos = System.nanoTime();
  private final Map<String, Long> outputs = new LinkedHashMap<>();
  private JsonNode schema;

  private SnapshotWriter(
      SparkSession spark, String root, String dataset, String job, DatasetKind kind) {
    this.spark = spark;
    this.store = new SnapshotStore(root, dataset, spark.sparkContext().hadoopConfiguration());
    this.dataset = dataset;
    this.job = job;
    this.kind = kind;
    this.id = SnapshotStore.newSnapshotId(Instant.now());
    // No _SUCCESS markers from Spark's committer in any snapshot folder.
    spark
        .sparkContext()
        .hadoopConfiguration()
        .set("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
  }

  /** Starts a snapshot of {@code dataset} under {@code root}; nothing is visible until commit. */
  public static SnapshotWriter begin(
      SparkSession spark, String root, String dataset, String job, DatasetKind kind) {
    return new SnapshotWriter(spark, root, dataset, job, kind);
  }

  public String id() {
    return id;
  }

  /** Publishes as {@code policy} says (rename or pointer writes); call before commit. */
  public SnapshotWriter withPolicy(SnapshotPolicy policy) {
    store = store.withPolicy(policy);
    return this;
  }

  /**
   * Deletes this run's snapshot folder after a failure, unless it was committed: half-written
   * output is never left behind. Never throws (the original failure is what the user needs).
   */
  public void abort() {
    Path dir = dir();
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(dir) && !fs.exists(new Path(dir, SnapshotStore.MANIFEST))) {
        fs.delete(dir, true);
      }
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(SnapshotWriter.class)
          .warn("Cannot remove the incomplete snapshot {}: {}", dir, e.toString());
    }
  }

  public SnapshotStore store() {
    return store;
  }

  public Path dir() {
    return store.snapshotDir(id);
  }

  /**
   * Writes the kept rows to {@code data/}: {@code files} Parquet files, rows placed by a hash of
   * {@code key} and sorted by {@code sortBy} (which must order rows totally). Fails when the rows
   * lack the kind's contract columns.
   */
  public long writeData(Dataset<Row> rows, int files, String key, String... sortBy) {
    List<String> missing = kind.missingFrom(rows.schema());
    if (!missing.isEmpty()) {
      throw Errors.outputHasWrongSchema(job, kind.id(), String.join(", ", missing));
    }
    schema = readJson(rows.schema().json());
    return write("data", rows, files, key, sortBy);
  }

  /** Writes rejected rows (the core REJECTED schema) to {@code rejected/}, one file. */
  public long writeRejected(Dataset<Row> rejected) {
    Dataset<Row> rows =
        rejected.select(
            java.util.Arrays.stream(SparkSchemas.REJECTED.fieldNames())
                .map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new));
    return write("rejected", rows, 1, "source", "stage", "source", "file", "line", "id", "reason");
  }

  /**
   * Writes a further named table (e.g. {@code difficulty}); when {@code kindOfOutput} is not null
   * its contract is checked too.
   */
  public long writeOutput(
      String name,
      Dataset<Row> rows,
      DatasetKind kindOfOutput,
      int files,
      String key,
      String... sortBy) {
    if (kindOfOutput != null) {
      List<String> missing = kindOfOutput.missingFrom(rows.schema());
      if (!missing.isEmpty()) {
        throw Errors.outputHasWrongSchema(
            job + " (" + name + ")", kindOfOutput.id(), String.join(", ", missing));
      }
    }
    return write(name, rows, files, key, sortBy);
  }

  /** A table already written into this snapshot (e.g. {@code data}), read back from its files. */
  public Dataset<Row> written(String name) {
    if (!outputs.containsKey(name)) {
      throw Errors.internal("snapshot " + id + " has no " + name + "/ written yet", null);
    }
    return spark.read().parquet(store.outputDir(id, name).toString());
  }

  /** Writes a stage's saved state into the snapshot folder of its name. */
  public void writeState(SavedState state) {
    Path dir = store.outputDir(id, state.name());
    try {
      PublishFaults.at("write:" + state.name(), dir.toString());
      state.writeTo(dir.toString());
    } catch (Exception e) {
      throw classified(e, dir.toString());
    }
    clean(dir);
  }

  /** Writes a small side file (e.g. {@code inputs_seen.json}) into the snapshot folder. */
  public void writeFile(String name, byte[] bytes) {
    store.writeFile(new Path(dir(), name), bytes);
  }

  private long write(String name, Dataset<Row> rows, int files, String key, String... sortBy) {
    String dir = store.outputDir(id, name).toString();
    try {
      PublishFaults.at("write:" + name, dir);
      DeterministicParquet.write(rows, dir, files, key, sortBy);
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      throw classified(e, dir);
    }
    clean(new Path(dir));
    // Row counts from the Parquet footers: exact, and no second pass over the data.
    long n = spark.read().parquet(dir).count();
    outputs.put(name, n);
    return n;
  }

  /**
   * {@code e} as the user should see it: a failure of the environment (disk full) as an output
   * error (exit 4) with a clear message, a Gristmill error as it is, anything else unchanged.
   */
  private RuntimeException classified(Exception e, String path) {
    if (e instanceof io.gristmill.core.GristmillException ge) {
      return ge;
    }
    io.gristmill.core.GristmillException env =
        Errors.fromEnvironment(e, "snapshot " + id + " of " + dataset, path);
    if (env != null) {
      return env;
    }
    if (e instanceof IOException io) {
      return Errors.outputFailed("snapshot " + id, path, io);
    }
    if (e instanceof RuntimeException re) {
      return re;
    }
    throw SnapshotWriter.<RuntimeException>sneaky(e);
  }

  /** Rethrows a checked exception Spark threw undeclared, unchanged. */
  @SuppressWarnings("unchecked")
  private static <T extends Exception> T sneaky(Exception e) throws T {
    throw (T) e;
  }

  private void clean(Path dir) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      SparkFiles.removeClutter(fs, dir);
    } catch (IOException e) {
      throw Errors.outputFailed("snapshot " + id, dir.toString(), e);
    }
  }

  /**
   * What a job says about its run when it commits.
   *
   * @param inputs what it read, with per-input accounting
   * @param config the effective config
   * @param stages per-stage reports, in order
   * @param details extra summary lines
   * @param properties facts a reader needs (advantage variant, devices used, ...)
   * @param previousSnapshot the snapshot this one builds on, or null
   */
  public record Commit(
      List<SnapshotManifest.InputFile> inputs,
      JsonNode config,
      List<StageReport> stages,
      List<String> details,
      Map<String, Object> properties,
      String previousSnapshot) {}

  /** A published snapshot. */
  public record Published(String snapshotDir, SnapshotManifest manifest, String summary) {}

  /** Writes summary and manifest, moves {@code LATEST}, and releases Spark's cached data. */
  public Published commit(Commit c) {
    if (!outputs.containsKey("data")) {
      throw Errors.internal("snapshot " + id + " has no data/ written before commit", null);
    }
    double seconds = Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
    SnapshotManifest m =
        new SnapshotManifest(
            SnapshotManifest.FORMAT_VERSION,
            dataset,
            id,
            job,
            kind.id(),
            kind.version(),
            schema,
            Instant.now().toString(),
            CodeVersion.get(),
            List.copyOf(c.inputs()),
            c.config(),
            List.copyOf(c.stages()),
            List.copyOf(c.details()),
            new LinkedHashMap<>(outputs),
            c.properties() == null ? Map.of() : new LinkedHashMap<>(c.properties()),
            c.previousSnapshot(),
            seconds);
    String summary = SnapshotSummary.render(m);
    store.commit(m, summary);
    clean(dir());
    spark.catalog().clearCache();
    return new Published(dir().toString(), m, summary);
  }

  private static JsonNode readJson(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
