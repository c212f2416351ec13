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
import io.gristmill.curation.decontam.paraphrase.EmbeddingConfig;
import io.gristmill.curation.decontam.paraphrase.EmbeddingIndex;
import io.gristmill.curation.decontam.paraphrase.ParaphraseIndex;
import io.gristmill.curation.decontam.paraphrase.ParaphraseMatch;
import io.gristmill.curation.decontam.paraphrase.ParaphraseMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Benchmark decontamination: the benchmark n-gram index (and, with {@code paraphrase} configured,
 * the {@link ParaphraseIndex}) is built on the driver (benchmarks are small) and broadcast; every
 * row's checked turns are matched against it on the executors, the corpus is never collected. A
 * match is of kind {@code verbatim} (n-grams) or {@code paraphrase} (retrieved and verified per
 * benchmark kind, see {@link ParaphraseMatcher}); an item matched verbatim is not reported again as
 * a paraphrase. With {@code paraphrase.embedding} configured, the items are also encoded once on
 * the driver (vectors broadcast) and each checked turn in the executors ({@link
 * EmbeddingMatchPartition}); the items nearest a turn join its paraphrase candidates.
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
            DataTypes.createStructField("overlap", DataTypes.DoubleType, false),
            DataTypes.createStructField("kind", DataTypes.StringType, false),
            DataTypes.createStructField(
                "signals", DataTypes.createArrayType(DataTypes.StringType, false), false)
          });
  public static final String VERBATIM = "verbatim";
  public static final String PARAPHRASE = "paraphrase";

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
            "decontamination (%d-grams%s, policy %s): %d benchmark items indexed; contaminated rows"
                + " per benchmark %s; items too short to index %s; %d boilerplate n-grams ignored",
            cfg.ngram(),
            !cfg.paraphrases()
                ? ""
                : cfg.paraphrase().embedding() == null
                    ? " + paraphrase"
                    : " + paraphrase + embedding " + cfg.paraphrase().embedding().model(),
            cfg.policy(),
            r.indexedItems(),
            r.perBenchmark(),
            r.unindexedItems(),
            r.boilerplateNgrams())
        + (cfg.paraphrases() ? "; per benchmark and kind " + r.perKind() : "");
  }

  /** The config's benchmark items. */
  public static List<BenchmarkItem> loadItems(DecontaminationConfig cfg) {
    List<BenchmarkItem> items = new ArrayList<>();
    for (BenchmarkSpec b : cfg.benchmarks()) {
      items.addAll(BenchmarkLoader.load(b));
    }
    return items;
  }

  /** Loads the config's benchmarks and builds their index. */
  public static NgramIndex buildIndex(DecontaminationConfig cfg) {
    return NgramIndex.build(loadItems(cfg), cfg.ngram(), cfg.maxItemFrequency());
  }

  public static DecontaminationResult run(Dataset<Row> input, DecontaminationConfig cfg) {
    List<BenchmarkItem> items = loadItems(cfg);
    NgramIndex index = NgramIndex.build(items, cfg.ngram(), cfg.maxItemFrequency());
    return run(
        input,
        cfg,
        index,
        cfg.paraphrases() && cfg.enabled() ? ParaphraseIndex.build(items, cfg.paraphrase()) : null);
  }

  /** Checks {@code input} against an n-gram index only. */
  public static DecontaminationResult run(
      Dataset<Row> input, DecontaminationConfig cfg, NgramIndex index) {
    return run(input, cfg, index, null);
  }

  /**
   * Checks {@code input} ({@code SparkSchemas.CONVERSATION} columns, plus any) against an index.
   */
  public static DecontaminationResult run(
      Dataset<Row> input,
      DecontaminationConfig cfg,
      NgramIndex index,
      ParaphraseIndex paraphraseOrNull) {
    long start = System.nanoTime();
    StructType outSchema =
        input.schema().add(COLUMN, DataTypes.createArrayType(MATCH, false), false);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(input.sparkSession().sparkContext());
    Broadcast<ContaminationMatcher> matcher = jsc.broadcast(new ContaminationMatcher(index, cfg));
    boolean paraphrasing = cfg.enabled() && paraphraseOrNull != null && paraphraseOrNull.size() > 0;
    Broadcast<ParaphraseMatcher> para =
        paraphrasing
            ? jsc.broadcast(new ParaphraseMatcher(paraphraseOrNull, cfg.paraphrase()))
            : null;
    int messagesAt = input.schema().fieldIndex("messages");
    boolean enabled = cfg.enabled() && index.size() > 0;
    EmbeddingConfig emb = para == null ? null : cfg.paraphrase().embedding();
    Dataset<Row> mapped;
    if (emb == null) {
      mapped =
          input.map(
              (MapFunction<Row, Row>)
                  r ->
                      withMatches(
                          r,
                          messagesAt,
                          enabled ? matcher.value() : null,
                          para == null ? null : para.value(),
                          cfg,
                          null),
              Encoders.row(outSchema));
    } else {
      Broadcast<EmbeddingIndex> vectors =
          jsc.broadcast(EmbeddingMatchPartition.itemVectors(paraphraseOrNull, emb));
      mapped =
          input.mapPartitions(
              new EmbeddingMatchPartition(enabled ? matcher : null, para, vectors, cfg, messagesAt),
              Encoders.row(outSchema));
    }
    Dataset<Row> flagged = mapped.persist(StorageLevel.MEMORY_AND_DISK());
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
    Map<String, Long> perKind = new TreeMap<>();
    if (contaminated > 0) {
      for (Row r :
          hit.select(
                  explode(
                          array_distinct(
                              org.apache.spark.sql.functions.transform(
                                  col(COLUMN),
                                  m ->
                                      concat(
                                          m.getField("benchmark"), lit("/"), m.getField("kind")))))
                      .as("k"))
              .groupBy("k")
              .count()
              .collectAsList()) {
        perKind.put(r.getString(0), r.getLong(1));
      }
    }
    long paraphraseOnly = 0;
    if (contaminated > 0 && para != null) {
      paraphraseOnly =
          hit.where(element_at(col(COLUMN), 1).getField("kind").equalTo(PARAPHRASE)).count();
    }
    Dataset<Row> kept;
    Dataset<Row> rejected;
    long dropped;
    if (cfg.removes()) {
      kept = flagged.where(size(col(COLUMN)).equalTo(0)).drop(COLUMN);
      rejected = rejectedRows(hit);
      dropped = contaminated;
    } else {
      paraphraseOnly = 0;
      kept = flagged;
      rejected = input.sparkSession().createDataFrame(List.of(), SparkSchemas.REJECTED);
      dropped = 0;
    }
    Map<String, Long> reasons = new TreeMap<>();
    if (dropped - paraphraseOnly > 0) {
      reasons.put(DecontamReason.CONTAMINATED.code(), dropped - paraphraseOnly);
    }
    if (paraphraseOnly > 0) {
      reasons.put(DecontamReason.PARAPHRASED.code(), paraphraseOnly);
    }
    StageReport report =
        new StageReport(
            STAGE, rowsIn, rowsIn - dropped, reasons, (System.nanoTime() - start) / 1e9);
    return new DecontaminationResult(
        kept,
        rejected,
        report,
        perBenchmark,
        index.indexedItems(),
        index.unindexedItems(),
        index.boilerplateNgrams(),
        perKind);
  }

  private static final scala.collection.immutable.Seq<String> NGRAM_SIGNAL =
      scala.jdk.javaapi.CollectionConverters.asScala(List.of("ngram")).toList();

  /** The row's messages (role, content). */
  static List<Message> messages(Row r, int messagesAt) {
    List<Row> ms = r.getList(messagesAt);
    List<Message> messages = new ArrayList<>(ms.size());
    for (Row m : ms) {
      messages.add(new Message(m.getString(0), m.getString(1)));
    }
    return messages;
  }

  /**
   * The row with its {@code contamination} column; {@code nearest}, when not null, holds the
   * embedding hits of each message (null for a message that is not checked).
   */
  static Row withMatches(
      Row r,
      int messagesAt,
      ContaminationMatcher matcher,
      ParaphraseMatcher para,
      DecontaminationConfig cfg,
      List<List<EmbeddingIndex.Hit>> nearest) {
    List<Row> out = new ArrayList<>();
    if (matcher != null || para != null) {
      List<Message> messages = messages(r, messagesAt);
      Set<String> seen = new HashSet<>();
      if (matcher != null) {
        for (NgramIndex.Match m : matcher.match(messages)) {
          seen.add(m.benchmark() + "\u0000" + m.item());
          out.add(RowFactory.create(m.benchmark(), m.item(), m.overlap(), VERBATIM, NGRAM_SIGNAL));
        }
      }
      if (para != null) {
        List<ParaphraseMatch> found = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
          Message m = messages.get(i);
          if (cfg.checks(m.role())) {
            List<EmbeddingIndex.Hit> near = nearest == null ? null : nearest.get(i);
            found.addAll(para.match(m.content(), near == null ? List.of() : near));
          }
        }
        found.sort((a, b) -> Double.compare(b.score(), a.score()));
        for (ParaphraseMatch m : found) {
          if (seen.add(m.benchmark() + "\u0000" + m.item())) {
            out.add(
                RowFactory.create(
                    m.benchmark(),
                    m.item(),
                    m.score(),
                    PARAPHRASE,
                    scala.jdk.javaapi.CollectionConverters.asScala(m.signals()).toList()));
          }
        }
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
    // Verbatim matches come first: a row with any is "contaminated", else "paraphrased".
    return RejectedRows.of(
        hit,
        STAGE,
        when(
                element_at(col(COLUMN), 1).getField("kind").equalTo(PARAPHRASE),
                lit(DecontamReason.PARAPHRASED.code()))
            .otherwise(lit(DecontamReason.CONTAMINATED.code())),
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
