package io.gristmill.curation.ingest;

import static org.apache.spark.sql.functions.col;

import io.gristmill.core.Errors;
import io.gristmill.core.record.Rejection;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.stage.StageReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The Spark side of ingest. The driver lists the files ({@link FileLister}; a path matching nothing
 * fails here, before any data is read); each file is then read whole by one task ({@link
 * FileIngester}), so line numbers are exact and raw bytes are checked for UTF-8. The items are
 * persisted once and split into kept and rejected rows; per-file stats and per-reason counts are
 * small aggregates brought to the driver. Output order is deterministic: files in config order
 * (sorted within a source), records in file order.
 *
 * <p>The returned datasets are backed by one persisted RDD (memory and disk), so later stages and
 * the writers do not read the files again; it is released when the session stops.
 */
public final class IngestSparkStage implements Stage {
  public static final String STAGE = FileIngester.STAGE;
  private static final Logger LOG = LogManager.getLogger(IngestSparkStage.class);

  /** The columns of an ingest rejection before {@link RejectedRows} gives it the REJECTED ones. */
  private static final StructType REJECTION =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("reason", DataTypes.StringType, false),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("file", DataTypes.StringType, true),
            DataTypes.createStructField("line", DataTypes.LongType, false),
            DataTypes.createStructField("original_id", DataTypes.StringType, true),
            DataTypes.createStructField("excerpt", DataTypes.StringType, true),
            DataTypes.createStructField("detail", DataTypes.StringType, true)
          });

  private final List<SourceConfig> sources;
  private final IngestConfig config;
  private volatile List<SnapshotManifest.InputFile> listed;

  /** The ingest stage over {@code sources}; it takes no input rows. */
  public IngestSparkStage(List<SourceConfig> sources, IngestConfig config) {
    this.sources = List.copyOf(sources);
    this.config = config;
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public StageOutput apply(Dataset<Row> input, StageContext context) {
    if (input != null) {
      throw Errors.internal(
          "Cannot run ingest: it reads its sources and takes no input rows", null);
    }
    IngestResult r = run(context.spark(), sources, config);
    listed = r.inputs();
    return StageOutput.of(r.kept(), r.rejected(), r.report());
  }

  /**
   * The files the last {@link #apply} listed, with bytes and sha256 (rows read/kept/rejected as
   * ingest counted them); fails before the stage ran.
   */
  public List<SnapshotManifest.InputFile> listedInputs() {
    if (listed == null) {
      throw Errors.internal("Cannot list ingest inputs: the ingest stage has not run yet", null);
    }
    return listed;
  }

  public static IngestResult run(
      SparkSession spark, List<SourceConfig> sources, IngestConfig config) {
    long start = System.nanoTime();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    List<FileLister.FileTask> tasks = FileLister.list(sources, hadoopConf);
    LOG.info("ingest: start, {} sources, {} files", sources.size(), tasks.size());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(hadoopConf));
    JavaRDD<IngestItem> streamed =
        jsc.parallelize(tasks, Math.max(1, tasks.size()))
            .flatMap(t -> new FileIngester(t.source(), t.path(), config, conf.value().value()))
            .persist(StorageLevel.MEMORY_AND_DISK());

    List<FileStats> stats =
        new ArrayList<>(streamed.filter(i -> i.file() != null).map(IngestItem::file).collect());
    JavaRDD<IngestItem> items = withoutFailedFiles(jsc, streamed, stats);
    Map<String, Long> kinds = new TreeMap<>(items.map(IngestItem::kind).countByValue());
    Map<String, Integer> order = new TreeMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      order.put(tasks.get(i).source().name() + '\u0000' + tasks.get(i).path(), i);
    }
    stats.sort(Comparator.comparingInt(s -> order.get(s.source() + '\u0000' + s.path())));

    long read = 0;
    long kept = 0;
    List<SnapshotManifest.InputFile> inputs = new ArrayList<>();
    for (FileStats s : stats) {
      if (s.rowsRead() != s.rowsKept() + s.rowsRejected()) {
        throw Errors.internal(
            "Cannot finish ingest: file "
                + s.path()
                + " read "
                + s.rowsRead()
                + " rows but kept "
                + s.rowsKept()
                + " and rejected "
                + s.rowsRejected(),
            null);
      }
      read += s.rowsRead();
      kept += s.rowsKept();
      inputs.add(s.toInputFile());
      LOG.info(
          "ingest: {} {}: read {} = kept {} + rejected {}",
          s.source(),
          s.path(),
          s.rowsRead(),
          s.rowsKept(),
          s.rowsRejected());
    }
    Map<String, Long> byReason = new TreeMap<>();
    kinds.forEach(
        (k, v) -> {
          if (k.startsWith("rejected:")) {
            byReason.put(k.substring("rejected:".length()), v);
          }
        });
    if (kinds.getOrDefault("kept", 0L) != kept || stats.size() != tasks.size()) {
      throw Errors.internal(
          "Cannot finish ingest: per-file counts disagree with the rows produced: " + kinds, null);
    }
    Dataset<Row> keptRows =
        spark.createDataFrame(
            items
                .filter(i -> i.conversation() != null)
                .map(i -> SparkSchemas.toRow(i.conversation())),
            SparkSchemas.CONVERSATION);
    Dataset<Row> rejectedRows =
        RejectedRows.of(
            spark.createDataFrame(
                items.filter(i -> i.rejection() != null).map(i -> rejectionRow(i.rejection())),
                REJECTION),
            STAGE,
            col("reason"),
            Map.of());
    double seconds = (System.nanoTime() - start) / 1e9;
    StageReport report = new StageReport(STAGE, read, kept, byReason, seconds);
    LOG.info(
        "ingest: end, {} rows read, {} kept, {} rejected {}, {} s",
        read,
        kept,
        report.rejectedTotal(),
        byReason,
        String.format("%.1f", seconds));
    return new IngestResult(keptRows, rejectedRows, List.copyOf(inputs), report);
  }

  /**
   * {@code items} with the kept rows of every file that failed its integrity check (a gzip whose
   * CRC does not match) turned into {@code unreadable_file} rejections. A file is streamed, so its
   * rows are handed on before the check at its end; the file's stats already count them as
   * rejected. The same RDD when no file failed.
   */
  private static JavaRDD<IngestItem> withoutFailedFiles(
      JavaSparkContext jsc, JavaRDD<IngestItem> items, List<FileStats> stats) {
    Map<String, String> failed = new TreeMap<>();
    for (FileStats s : stats) {
      if (s.integrityFailure() != null) {
        failed.put(s.path(), s.integrityFailure());
        LOG.warn(
            "ingest: {} {}: {}; all its rows are rejected",
            s.source(),
            s.path(),
            s.integrityFailure());
      }
    }
    if (failed.isEmpty()) {
      return items;
    }
    Broadcast<Map<String, String>> bad = jsc.broadcast(failed);
    return items
        .map(
            i -> {
              String why =
                  i.conversation() == null ? null : bad.value().get(i.conversation().file());
              return why == null ? i : IngestItem.failedIntegrity(i.conversation(), why);
            })
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static Row rejectionRow(Rejection r) {
    return RowFactory.create(
        r.reason().code(), r.source(), r.file(), r.line(), r.originalId(), r.excerpt(), r.detail());
  }
}
