package io.gristmill.curation.decontam;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.gristmill.core.record.Message;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.stage.StageReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Benchmark decontamination: the benchmark n-gram index is built on the driver (benchmarks are
 * small) and broadcast; every row's checked turns are matched against it on the executors.
 */
public final class DecontaminationSparkStage implements Stage {
  public static final String STAGE = "decontamination";
  public static final String COLUMN = "contamination";
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DecontaminationSparkStage.class);

  public static final StructType MATCH =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("benchmark", DataTypes.StringType, false),
            DataTypes.createStructField("item", DataTypes.StringType, false),
            DataTypes.createStructField("overlap", DataTypes.DoubleType, false)
          });

  private final DecontaminationConfig config;

  /** The stage; the benchmark index is built when it runs. */
  public DecontaminationSparkStage(DecontaminationConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public StageOutput apply(Dataset<Row> input, StageContext context) {
    DecontaminationResult r = run(input, config);
    String line = detail(config, r);
    LOG.info(line);
    return StageOutput.of(r.kept(), r.rejected(), r.report()).withDetails(List.of(line));
  }

  /** The run-summary line: index size and contaminated rows per benchmark. */
  static String detail(DecontaminationConfig cfg, DecontaminationResult r) {
    return String.format(
        "decontamination (%d-grams, policy %s): %d benchmark items indexed; contaminated rows"
            + " per benchmark %s; items too short to index %s; %d boilerplate n-grams ignored",
        cfg.ngram(),
        cfg.policy(),
        r.indexedItems(),
        r.perBenchmark(),
        r.unindexedItems(),
        r.boilerplateNgrams());
  }

  /** Loads the config's benchmarks and builds their index. */
  public static NgramIndex buildIndex(DecontaminationConfig cfg) {
    List<BenchmarkItem> items = new ArrayList<>();
    for (BenchmarkSpec b : cfg.benchmarks()) {
      items.addAll(BenchmarkLoader.load(b));
    }
    return NgramIndex.build(items, cfg.ngram(), cfg.maxItemFrequency());
  }

  public static DecontaminationResult run(Dataset<Row> input, DecontaminationConfig cfg) {
    return run(input, cfg, buildIndex(cfg));
  }

  /**
   * Checks {@code input} ({@code SparkSchemas.CONVERSATION} columns, plus any) against an index.
   */
  public static DecontaminationResult run(
      Dataset<Row> input, DecontaminationConfig cfg, NgramIndex index) {
    long start = System.nanoTime();
    StructType outSchema =
        input.schema().add(COLUMN, DataTypes.createArrayType(MATCH, false), false);
    Broadcast<ContaminationMatcher> matcher =
        JavaSparkContext.fromSparkContext(input.sparkSession().sparkContext())
            .broadcast(new ContaminationMatcher(index, cfg));
    int messagesAt = input.schema().fieldIndex("messages");
    boolean enabled = cfg.enabled() && index.size() > 0;
    Dataset<Row> flagged =
        input
            .map(
                (MapFunction<Row, Row>)
                    r -> withMatches(r, messagesAt, enabled ? matcher.value() : null),
                Encoders.row(outSchema))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> hit = flagged.where(size(col(COLUMN)).gt(0));

    // One pass fills the cache and counts; the per-benchmark counts then read the cache.
    Row counts =
        flagged.agg(count(lit(1)), sum(when(size(col(COLUMN)).gt(0), 1L).otherwise(0L))).first();
    long rowsIn = counts.getLong(0);
    long contaminated = counts.isNullAt(1) ? 0L : counts.getLong(1);
    Map<String, Long> perBenchmark = new TreeMap<>();
    List<Row> per =
        contaminated == 0
            ? List.of()
            : hit.select(explode(array_distinct(col(COLUMN + ".benchmark"))).as("b"))
                .groupBy("b")
                .count()
                .collectAsList();
    for (Row r : per) {
      perBenchmark.put(r.getString(0), r.getLong(1));
    }
    Dataset<Row> kept;
    Dataset<Row> rejected;
    long dropped;
    if (cfg.removes()) {
      kept = flagged.where(size(col(COLUMN)).equalTo(0)).drop(COLUMN);
      rejected = rejectedRows(hit);
      dropped = contaminated;
    } else {
      kept = flagged;
      rejected = input.sparkSession().createDataFrame(List.of(), SparkSchemas.REJECTED);
      dropped = 0;
    }
    StageReport report =
        new StageReport(
            STAGE,
            rowsIn,
            rowsIn - dropped,
            dropped == 0 ? Map.of() : Map.of(DecontamReason.CONTAMINATED.code(), dropped),
            (System.nanoTime() - start) / 1e9);
    return new DecontaminationResult(
        kept,
        rejected,
        report,
        perBenchmark,
        index.indexedItems(),
        index.unindexedItems(),
        index.boilerplateNgrams());
  }

  private static Row withMatches(Row r, int messagesAt, ContaminationMatcher matcher) {
    List<Row> out = new ArrayList<>();
    if (matcher != null) {
      List<Row> ms = r.getList(messagesAt);
      List<Message> messages = new ArrayList<>(ms.size());
      for (Row m : ms) {
        messages.add(new Message(m.getString(0), m.getString(1)));
      }
      for (NgramIndex.Match m : matcher.match(messages)) {
        out.add(RowFactory.create(m.benchmark(), m.item(), m.overlap()));
      }
    }
    Object[] values = new Object[r.length() + 1];
    for (int i = 0; i < r.length(); i++) {
      values[i] = r.get(i);
    }
    values[r.length()] = scala.jdk.javaapi.CollectionConverters.asScala(out).toSeq();
    return RowFactory.create(values);
  }

  private static Dataset<Row> rejectedRows(Dataset<Row> hit) {
    // The row's own columns (id, file, line, ...); duplicate_of names the first benchmark item.
    return RejectedRows.of(
        hit,
        STAGE,
        DecontamReason.CONTAMINATED,
        Map.of(
            "detail",
            concat(lit("matches benchmark items "), to_json(col(COLUMN))),
            "duplicate_of",
            concat(
                element_at(col(COLUMN), 1).getField("benchmark"),
                lit(":"),
                element_at(col(COLUMN), 1).getField("item")),
            "duplicate_of_original_id",
            lit(null),
            "similarity",
            element_at(col(COLUMN), 1).getField("overlap")));
  }
}
