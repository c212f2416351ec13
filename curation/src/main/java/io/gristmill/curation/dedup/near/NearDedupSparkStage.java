package io.gristmill.curation.dedup.near;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.gristmill.core.Errors;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.SavedState;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.stage.StageReport;
import io.gristmill.curation.dedup.DedupReason;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Near-duplicate removal: MinHash signatures, LSH band buckets, verified candidate pairs,
 * distributed connected components, one representative per cluster. Deterministic: the outputs
 * depend only on the rows and the config, never on partitioning. Nothing large reaches the driver.
 */
public final class NearDedupSparkStage implements Stage {
  public static final String STAGE = "near_dedup";

  /** The snapshot folder of the saved state: signatures of every row kept so far. */
  public static final String STATE_NAME = "near_dedup_state";

  private static final Logger LOG = LoggerFactory.getLogger(NearDedupSparkStage.class);

  /** Verified edges per partition of the connected-components rounds. */
  static final long EDGES_PER_PARTITION = 100_000L;

  /** Salts of the 64-bit vertex hash tried before giving up (a collision is ~1e-7 likely). */
  static final int MAX_SALTS = 4;

  private final NearDedupConfig config;

  /** The stage; with a prior snapshot it dedups against the prior's saved signatures. */
  public NearDedupSparkStage(NearDedupConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public StageOutput apply(Dataset<Row> input, StageContext context) {
    Dataset<Row> priorState = null;
    if (context.hasPrior()) {
      java.util.Optional<org.apache.hadoop.fs.Path> dir =
          context.prior().savedState(STATE_NAME, context.hadoop());
      if (dir.isPresent()) {
        priorState = NearDedupStateSparkStage.load(context.spark(), dir.get().toString(), config);
      } else {
        LOG.warn(
            "near_dedup: snapshot {} has no {}; new rows are deduplicated among themselves only",
            context.prior().snapshotId(),
            STATE_NAME);
      }
    }
    NearDedupResult r = run(input, config, priorState);
    Dataset<Row> state = r.state();
    NearDedupConfig cfg = config;
    SavedState saved =
        new SavedState() {
          @Override
          public String name() {
            return STATE_NAME;
          }

          @Override
          public void writeTo(String dir) {
            NearDedupStateSparkStage.write(state, cfg, dir);
          }
        };
    LOG.info("near_dedup: {}", r.info().summary());
    return StageOutput.of(r.kept(), r.rejected(), r.report())
        .withDetails(List.of("near_dedup: " + r.info().summary()))
        .withState(saved);
  }

  /** Dedups {@code input} ({@code SparkSchemas.CONVERSATION} columns) against itself. */
  public static NearDedupResult run(Dataset<Row> input, NearDedupConfig cfg) {
    return run(input, cfg, null);
  }

  /**
   * Dedups {@code input} against itself and against {@code priorState} (from {@link
   * NearDedupStateSparkStage#load}, or null): rows similar to a prior row are rejected as
   * duplicates of it; prior rows are never recomputed or output.
   */
  public static NearDedupResult run(
      Dataset<Row> input, NearDedupConfig cfg, Dataset<Row> priorState) {
    return run(input, cfg, priorState, Limits.DEFAULT);
  }

  /**
   * Internal sizes, for tests that drive the rare paths (hash collisions, shuffle joins).
   *
   * @param vertexBits bits of a vertex hash (64; fewer force collisions)
   * @param broadcastMaxPairs up to this many candidate pairs, endpoints are broadcast
   * @param broadcastMaxDups up to this many duplicates, they are broadcast to split the input
   */
  record Limits(int vertexBits, long broadcastMaxPairs, long broadcastMaxDups) {
    static final Limits DEFAULT = new Limits(64, 2_000_000L, 2_000_000L);
  }

  /** As {@link #run(Dataset, NearDedupConfig, Dataset)} with other {@link Limits}. */
  static NearDedupResult run(
      Dataset<Row> input, NearDedupConfig cfg, Dataset<Row> priorState, Limits limits) {
    long start = System.nanoTime();
    lastCpu = processCpuNanos();
    LshBanding banding = cfg.banding();
    if (!cfg.enabled()) {
      long n = input.count();
      Dataset<Row> none =
          input.sparkSession().createDataFrame(java.util.List.of(), SparkSchemas.REJECTED);
      return new NearDedupResult(
          input,
          none,
          input.sparkSession().createDataFrame(java.util.List.of(), NearDedupStateSparkStage.STATE),
          new StageReport(STAGE, n, n, Map.of(), seconds(start)),
          new NearDedupResult.Info(banding.bands(), banding.rows(), 0, 0, 0, 0, 0, 0, 0));
    }
    Dataset<Row> fresh = SignatureSparkStage.nodes(input, cfg);
    Dataset<Row> nodes =
        priorState == null
            ? fresh
            : fresh.unionByName(NearDedupStateSparkStage.asPriorNodes(priorState, banding));
    nodes = nodes.persist(StorageLevel.MEMORY_AND_DISK());
    // One pass fills the cache and gives the input and too-short counts.
    Row counts =
        nodes
            .where(not(col("prior")))
            .agg(count(lit(1)), sum(when(col("sig").isNull(), 1L).otherwise(0L)))
            .first();
    long rowsIn = counts.getLong(0);
    long tooShort = counts.isNullAt(1) ? 0L : counts.getLong(1);
    long t = lap("signatures", start);

    Graph g = null;
    Dataset<Row> graphNodes = withStallHook(nodes);
    for (int salt = 0; g == null; salt++) {
      if (salt == MAX_SALTS) {
        throw Errors.vertexHashesCollide(MAX_SALTS);
      }
      g = graph(graphNodes, cfg, salt, limits, t);
    }
    Dataset<Row> ends = g.ends();
    t = System.nanoTime();
    int parts =
        (int)
            Math.max(
                1,
                Math.min(
                    input.sparkSession().sessionState().conf().numShufflePartitions(),
                    g.edgeCount() / EDGES_PER_PARTITION + 1));
    ComponentsSparkStage.Result cc = ComponentsSparkStage.run(g.edges(), parts);
    t = lap("components", t);

    // The root of a component is its smallest sort key: the representative.
    Dataset<Row> members =
        cc.components()
            .where(
                not(col("node").equalTo(col("root")))
                    .and(not(col("node").startsWith(RepresentativePolicy.PRIOR_KEY_PREFIX))))
            .join(
                ends.select(col("key").as("node"), col("id").as("dup_id"), col("cmp").as("a")),
                "node")
            .join(
                ends.select(
                    col("key").as("root"),
                    col("id").as("duplicate_of"),
                    col("original_id").as("duplicate_of_original_id"),
                    col("cmp").as("b")),
                "root")
            .select(
                col("dup_id"),
                col("duplicate_of"),
                col("duplicate_of_original_id"),
                CandidateSparkStage.similarity(cfg.exactVerify())
                    .apply(col("a"), col("b"))
                    .as("similarity"))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Row memberCounts = members.agg(count(lit(1)), countDistinct(col("duplicate_of"))).first();
    long dups = memberCounts.getLong(0);
    long clusters = memberCounts.getLong(1);
    if (g.repeatedIds()) {
      // Every input row of a rejected id is rejected: count rows, not ids.
      dups =
          nodes
              .where(not(col("prior")))
              .join(broadcast(members.select("dup_id")), col("id").equalTo(col("dup_id")))
              .count();
    }
    lap("representatives", t);
    // Duplicates are few next to the input: broadcasting them keeps the input unshuffled.
    Dataset<Row> dupSide = dups <= limits.broadcastMaxDups() ? broadcast(members) : members;

    Dataset<Row> kept =
        input.join(dupSide, input.col("id").equalTo(dupSide.col("dup_id")), "left_anti");
    Dataset<Row> rejected = rejectedRows(input, dupSide, cfg.exactVerify());
    Dataset<Row> state =
        nodes
            .where(col("sig").isNotNull())
            .join(dupSide, col("id").equalTo(col("dup_id")), "left_anti")
            .select(NearDedupStateSparkStage.stateColumns());

    NearDedupResult.Info info =
        new NearDedupResult.Info(
            banding.bands(),
            banding.rows(),
            banding.falsePositiveArea(cfg.threshold()),
            banding.falseNegativeArea(cfg.threshold()),
            g.pairCount(),
            g.edgeCount(),
            clusters,
            cc.rounds(),
            tooShort);
    StageReport report =
        new StageReport(
            STAGE,
            rowsIn,
            rowsIn - dups,
            dups == 0 ? Map.of() : Map.of(DedupReason.NEAR_DUPLICATE.code(), dups),
            seconds(start));
    return new NearDedupResult(kept, rejected, state, report, info);
  }

  /**
   * The verified similarity graph.
   *
   * @param ends the pairs' endpoints ({@code v}, {@code id}, {@code original_id}, {@code key},
   *     {@code cmp}), persisted
   * @param edges verified edges between sort keys ({@code src}, {@code dst})
   * @param repeatedIds whether some endpoint id is on more than one input row
   */
  private record Graph(
      Dataset<Row> ends, Dataset<Row> edges, long pairCount, long edgeCount, boolean repeatedIds) {}

  /** The graph with vertices salted by {@code salt}, or null when two endpoint ids collide. */
  private static Graph graph(
      Dataset<Row> nodes, NearDedupConfig cfg, int salt, Limits limits, long t) {
    Dataset<Row> pairs =
        CandidateSparkStage.candidates(nodes, cfg.maxBucketSize(), salt, limits.vertexBits())
            .persist(StorageLevel.MEMORY_AND_DISK());
    // Persisted, not local-checkpointed: a local checkpoint's blocks die with their executor and
    // nothing can recompute them (CHECKPOINT_RDD_BLOCK_ID_NOT_FOUND); a persisted block lost that
    // way is recomputed from the lineage, to the same rows.
    long pairCount = pairs.count(); // one job computes, persists and counts
    t = lap("candidates", t);
    // Only pair endpoints take part in verification, components and the representative choice.
    Column compare = col(cfg.exactVerify() ? "shingles" : "sig");
    Dataset<Row> ends =
        CandidateSparkStage.endpoints(
                pairs, pairCount, nodes, salt, limits.vertexBits(), limits.broadcastMaxPairs())
            .select(col("v"), col("id"), col("original_id"), col("key"), compare.as("cmp"))
            .persist(StorageLevel.MEMORY_AND_DISK());
    // Per vertex: two ids are a hash collision (retry with another salt); one id on several rows
    // is the same row repeated in the input (possible when exact dedup is off).
    Row check =
        ends.groupBy("v")
            .agg(min("id").as("lo"), max("id").as("hi"), count(lit(1)).as("n"))
            .agg(
                sum(when(not(col("lo").equalTo(col("hi"))), 1L).otherwise(0L)),
                sum(when(col("lo").equalTo(col("hi")), col("n").minus(1)).otherwise(0L)))
            .first();
    long shared = check.isNullAt(0) ? 0L : check.getLong(0);
    long repeated = check.isNullAt(1) ? 0L : check.getLong(1);
    if (shared > 0) {
      LOG.warn(
          "near_dedup: {} vertices are shared by two or more endpoint ids under salt {}; retrying"
              + " with salt {}",
          shared,
          salt,
          salt + 1);
      ends.unpersist();
      pairs.unpersist();
      return null;
    }
    if (repeated > 0) {
      // Repeats of one id share its text, so one endpoint row per id; the smallest original id.
      Dataset<Row> once =
          ends.groupBy(col("v"), col("id"), col("key"), col("cmp"))
              .agg(min("original_id").as("original_id"))
              .select(col("v"), col("id"), col("original_id"), col("key"), col("cmp"))
              .persist(StorageLevel.MEMORY_AND_DISK());
      ends.unpersist();
      ends = once;
    }
    t = lap("endpoints", t);
    Dataset<Row> edges =
        CandidateSparkStage.verify(pairs, ends, cfg.exactVerify(), cfg.threshold())
            .persist(StorageLevel.MEMORY_AND_DISK());
    long edgeCount = edges.count();
    lap("verification", t);
    return new Graph(ends, edges, pairCount, edgeCount, repeated > 0);
  }

  /**
   * Test-only fault hook, for the cluster fault tests: a no-op unless the driver JVM has the system
   * property {@value #STALL_PROPERTY} naming a folder that the executors can write (same machine).
   * Then the first task of the candidates job (after the signatures are cached) to start creates
   * {@code near_dedup.claim} there, writes its executor JVM's PID to {@code near_dedup.pid}
   * (published by an atomic move) and sleeps up to {@value #STALL_MILLIS} ms, so that the test can
   * SIGKILL that executor mid-stage; every other task, and every retry, runs unchanged. Without the
   * property the plan is exactly the one production runs. Never set it in production.
   */
  static final String STALL_PROPERTY = "gristmill.fault.near_dedup.stall_dir";

  static final long STALL_MILLIS = 300_000L;

  private static Dataset<Row> withStallHook(Dataset<Row> nodes) {
    String dir = System.getProperty(STALL_PROPERTY);
    if (dir == null || dir.isEmpty()) {
      return nodes;
    }
    LOG.warn(
        "near_dedup: test fault hook {}={} is set: the first candidates task stalls for a kill",
        STALL_PROPERTY,
        dir);
    return nodes.mapPartitions(
        (org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>)
            rows -> {
              stallOnce(dir);
              return rows;
            },
        org.apache.spark.sql.Encoders.row(nodes.schema()));
  }

  /** The first caller (over all JVMs sharing {@code dir}) publishes its PID and sleeps. */
  private static void stallOnce(String dir) throws java.io.IOException, InterruptedException {
    java.nio.file.Path folder = java.nio.file.Path.of(dir);
    try {
      java.nio.file.Files.createFile(folder.resolve("near_dedup.claim"));
    } catch (java.nio.file.FileAlreadyExistsException taken) {
      return; // another task stalled (or was killed) already: run normally
    }
    String pid = Long.toString(ProcessHandle.current().pid());
    java.nio.file.Path tmp = folder.resolve("near_dedup.pid." + pid + ".tmp");
    java.nio.file.Files.writeString(tmp, pid);
    java.nio.file.Files.move(
        tmp, folder.resolve("near_dedup.pid"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    LOG.warn("near_dedup: test fault hook: executor PID {} stalls for a kill", pid);
    Thread.sleep(STALL_MILLIS);
  }

  private static Dataset<Row> rejectedRows(
      Dataset<Row> input, Dataset<Row> members, boolean exact) {
    // The duplicate's own columns (id, file, line, ...), duplicate_of* and similarity from members.
    return RejectedRows.of(
        input.join(members, input.col("id").equalTo(members.col("dup_id"))),
        STAGE,
        DedupReason.NEAR_DUPLICATE,
        Map.of(
            "detail",
            concat(
                lit("near duplicate of "),
                col("duplicate_of"),
                lit(exact ? " (exact Jaccard " : " (estimated Jaccard "),
                format_number(col("similarity"), 4),
                lit(")"))));
  }

  /** Logs the seconds since {@code fromNanos} for one step (INFO) and returns now. */
  private static long lap(String step, long fromNanos) {
    long now = System.nanoTime();
    if (LOG.isInfoEnabled()) {
      long cpu = processCpuNanos();
      LOG.info(
          String.format(
              "near_dedup %s: %.2f s (process CPU %.2f s)",
              step, (now - fromNanos) / 1e9, (cpu - lastCpu) / 1e9));
      lastCpu = cpu;
    }
    return now;
  }

  private static long lastCpu = processCpuNanos();

  /** CPU time of this JVM (all threads), or 0 where the platform does not report it. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0L;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
