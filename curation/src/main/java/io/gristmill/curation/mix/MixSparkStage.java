package io.gristmill.curation.mix;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gristmill.core.spark.RejectedRows;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.stage.StageReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code mix} stage: applies a {@link MixConfig} recipe to annotated rows. Kept rows (with
 * upsampled copies, id {@code ID#k} and {@code mix_copy = k}) form the mixture; every input row
 * with no copy kept is rejected with the rule that excluded it ({@code mix_filter:NAME}, {@code
 * mix_quota:SOURCE}, {@code mix_cap:CATEGORY}, {@code mix_total}). The resolved numbers
 * (thresholds, flagged categories, rows per source and category) are a JSON detail line.
 */
public final class MixSparkStage implements Stage {
  public static final String STAGE = "mix";
  public static final String COPY = "mix_copy";

  /** Prefix of the detail line holding the resolved numbers as JSON. */
  public static final String RESOLVED_PREFIX = "mix resolved: ";

  private static final String REASON = "_mix_reason";
  private static final String ORIG = "_mix_orig_id";
  private static final String RANK = "_mix_rank";
  private static final String CAT = "_mix_cat";
  private static final String TASK_CATEGORY = "task_category";
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(MixSparkStage.class);

  private final MixConfig config;

  public MixSparkStage(MixConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return STAGE;
  }

  /** What the recipe resolved to on this data. */
  public record Resolved(
      Map<String, Double> thresholds,
      Map<String, Long> proxiedRows,
      Map<String, Map<String, Double>> addBack,
      Map<String, Long> rowsInBySource,
      Map<String, Long> quotaBySource,
      Map<String, Long> keptBySource,
      String categoryColumn,
      Map<String, Long> rowsInByCategory,
      Map<String, Long> rowsInByTaskCategory,
      Map<String, Long> keptByCategory,
      Map<String, Long> capByCategory,
      long copiesAdded,
      Map<String, Long> rejectedByRule) {}

  @Override
  public StageOutput apply(Dataset<Row> input, StageContext context) {
    long start = System.nanoTime();
    Result r = run(input, config);
    String json;
    try {
      json = new ObjectMapper().writeValueAsString(r.resolved());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw io.gristmill.core.Errors.internal("mix: cannot write resolved numbers", e);
    }
    List<String> details = new ArrayList<>();
    details.add(RESOLVED_PREFIX + json);
    if (!r.resolved().proxiedRows().isEmpty()) {
      details.add("mix: proxy columns used (no judge/reward value): " + r.resolved().proxiedRows());
    }
    details.add(
        String.format(
            Locale.ROOT,
            "mix: %d rows in, %d kept (+%d upsampled copies), thresholds %s, per category %s",
            r.rowsIn(),
            r.keptDistinct(),
            r.resolved().copiesAdded(),
            r.resolved().thresholds(),
            r.resolved().keptByCategory()));
    details.forEach(LOG::info);
    double secs = (System.nanoTime() - start) / 1e9;
    return StageOutput.of(
            r.kept(),
            r.rejected(),
            new StageReport(
                STAGE, r.rowsIn(), r.keptDistinct(), r.resolved().rejectedByRule(), secs))
        .withDetails(details);
  }

  /** The mixture, the rejected rows and the resolved numbers. */
  public record Result(
      Dataset<Row> kept,
      Dataset<Row> rejected,
      long rowsIn,
      long keptDistinct,
      Resolved resolved) {}

  public static Result run(Dataset<Row> input, MixConfig cfg) {
    List<String> inCols = Arrays.asList(input.columns());
    Dataset<Row> rows = input;
    // 1. Proxies where a column is null.
    // Each proxy fills only its own column, so every column's missing values are counted in one
    // pass over the input before any proxy is applied.
    Map<String, Long> proxied = new LinkedHashMap<>();
    List<String> proxyCols = new ArrayList<>(cfg.proxies().keySet());
    if (!proxyCols.isEmpty()) {
      Column[] nulls = new Column[proxyCols.size()];
      for (int i = 0; i < nulls.length; i++) {
        String c = proxyCols.get(i);
        Column have = inCols.contains(c) ? col(c) : lit(null);
        nulls[i] = sum(when(have.isNull(), 1L).otherwise(0L));
      }
      Row missing = rows.agg(nulls[0], Arrays.copyOfRange(nulls, 1, nulls.length)).first();
      for (int i = 0; i < nulls.length; i++) {
        String c = proxyCols.get(i);
        long n = missing.isNullAt(i) ? 0 : missing.getLong(i);
        if (n > 0) { // only where a value is missing; the proxy's inputs need not exist otherwise
          proxied.put(c, n);
          Column have = inCols.contains(c) ? col(c) : lit(null);
          rows = rows.withColumn(c, coalesce(have, expr(cfg.proxies().get(c))));
        }
      }
    }
    rows =
        rows.withColumn(CAT, coalesce(col(cfg.categoryColumn()).cast("string"), lit("(none)")))
            .persist(StorageLevel.MEMORY_AND_DISK());
    long rowsIn = rows.count();
    // 2. Thresholds.
    Map<String, Double> thresholds = new LinkedHashMap<>();
    for (MixConfig.Threshold t : cfg.thresholds()) {
      Dataset<Row> over =
          t.where() == null ? rows : rows.where(expr(substitute(t.where(), thresholds)));
      Row v =
          over.agg(
                  expr(
                      String.format(
                          Locale.ROOT,
                          "percentile(CAST(%s AS DOUBLE), %s)",
                          t.column(),
                          t.percentile())))
              .first();
      thresholds.put(t.name(), v.isNullAt(0) ? null : v.getDouble(0));
    }
    // 3. Filters: the first one failed names the reason.
    Column reason = lit(null).cast("string");
    for (int i = cfg.filters().size() - 1; i >= 0; i--) {
      MixConfig.Filter f = cfg.filters().get(i);
      Column pass = coalesce(expr(substitute(f.expr(), thresholds)), lit(false));
      reason = when(pass.unary_$bang(), lit("mix_filter:" + f.name())).otherwise(reason);
    }
    Dataset<Row> d = rows.withColumn(REASON, reason);
    // 4. Add-back of categories whose share fell.
    // Rows per category entering the mix and passing the filters: the report's "before" counts
    // and the add-back rule's shares come from this one aggregation.
    // The report charts task categories before and after, whatever column the mix groups by, so
    // the same aggregation also counts rows in per task_category when the input has one.
    Column task =
        inCols.contains(TASK_CATEGORY)
            ? coalesce(col(TASK_CATEGORY).cast("string"), lit("(none)"))
            : lit("(none)");
    Map<String, long[]> byCat = new TreeMap<>();
    Map<String, Long> inByTask = new TreeMap<>();
    for (Row r :
        d.groupBy(col(CAT), task.as("_mix_task"))
            .agg(count(lit(1)), sum(when(col(REASON).isNull(), 1L).otherwise(0L)))
            .collectAsList()) {
      long[] c = byCat.computeIfAbsent(r.getString(0), k -> new long[2]);
      c[0] += r.getLong(2);
      c[1] += r.isNullAt(3) ? 0 : r.getLong(3);
      inByTask.merge(r.getString(1), r.getLong(2), Long::sum);
    }
    Map<String, Long> inByCat = new TreeMap<>();
    byCat.forEach((k, v) -> inByCat.put(k, v[0]));
    Map<String, Map<String, Double>> addBack = new TreeMap<>();
    if (cfg.addBack() != null) {
      long keptAll = byCat.values().stream().mapToLong(v -> v[1]).sum();
      List<String> flagged = new ArrayList<>();
      for (Map.Entry<String, long[]> e : byCat.entrySet()) {
        double before = (double) e.getValue()[0] / rowsIn;
        double after = keptAll == 0 ? 0 : (double) e.getValue()[1] / keptAll;
        double dropPct = before == 0 ? 0 : (before - after) / before * 100.0;
        boolean flag = !e.getKey().equals("(none)") && dropPct > cfg.addBack().shareDropPct();
        Map<String, Double> info = new LinkedHashMap<>();
        info.put("share_in", before);
        info.put("share_after_filters", after);
        info.put("drop_pct", dropPct);
        info.put("flagged", flag ? 1.0 : 0.0);
        addBack.put(e.getKey(), info);
        if (flag) {
          flagged.add(e.getKey());
        }
      }
      if (!flagged.isEmpty()) {
        Column back =
            col(REASON)
                .isNotNull()
                .and(col(CAT).isin(flagged.toArray()))
                .and(coalesce(expr(substitute(cfg.addBack().expr(), thresholds)), lit(false)));
        d = d.withColumn(REASON, when(back, lit(null).cast("string")).otherwise(col(REASON)));
      }
    }
    d = d.withColumn(ORIG, col("id")).withColumn(COPY, lit(0));
    // 5. Source quotas on the rows that passed (seeded hash order within each source).
    Map<String, Long> inBySource = new TreeMap<>();
    for (Row r : d.where(col(REASON).isNull()).groupBy("source").count().collectAsList()) {
      inBySource.put(r.getString(0), r.getLong(1));
    }
    Map<String, Long> quota = new TreeMap<>();
    double weightSum =
        cfg.sources().values().stream().mapToDouble(q -> q.weight() == null ? 0 : q.weight()).sum();
    for (Map.Entry<String, MixConfig.Quota> e : cfg.sources().entrySet()) {
      long avail = inBySource.getOrDefault(e.getKey(), 0L);
      MixConfig.Quota q = e.getValue();
      long n =
          q.count() != null
              ? q.count()
              : q.fraction() != null
                  ? Math.round(q.fraction() * avail)
                  : Math.round(cfg.target().rows() * q.weight() / weightSum);
      quota.put(e.getKey(), avail == 0 ? 0 : n);
    }
    d = d.withColumn(RANK, rankAmongLive(col("source"), cfg.seed()));
    Column q = lit(null).cast("long");
    Column avail = lit(null).cast("long");
    for (Map.Entry<String, Long> e : quota.entrySet()) {
      q = when(col("source").equalTo(e.getKey()), lit(e.getValue())).otherwise(q);
      avail =
          when(col("source").equalTo(e.getKey()), lit(inBySource.getOrDefault(e.getKey(), 0L)))
              .otherwise(avail);
    }
    // copies = q / avail whole repeats, plus one for the first (q % avail) rows in hash order.
    Column copies =
        when(col(REASON).isNotNull().or(q.isNull()), lit(1L))
            .otherwise(
                when(avail.equalTo(0), lit(0L))
                    .otherwise(
                        q.divide(avail)
                            .cast("long")
                            .plus(when(col(RANK).leq(q.mod(avail)), 1L).otherwise(0L))));
    d =
        d.withColumn("_mix_copies", copies)
            .withColumn(
                REASON,
                when(
                        col(REASON).isNull().and(col("_mix_copies").equalTo(0)),
                        concat(lit("mix_quota:"), col("source")))
                    .otherwise(col(REASON)))
            .withColumn(COPY, explode(sequence(lit(0L), expr("greatest(_mix_copies, 1) - 1"))))
            .withColumn(COPY, col(COPY).cast("int"))
            .withColumn(
                "id",
                when(col(COPY).equalTo(0), col(ORIG))
                    .otherwise(concat(col(ORIG), lit("#"), col(COPY).cast("string"))))
            .drop("_mix_copies", RANK);
    // 6. Category caps.
    long enteringCaps = d.where(col(REASON).isNull()).count();
    Map<String, Long> caps = new TreeMap<>();
    for (Map.Entry<String, Double> e : cfg.categoryCaps().entrySet()) {
      double v = e.getValue();
      caps.put(e.getKey(), v < 1.0 ? Math.round(v * enteringCaps) : Math.round(v));
    }
    Column idOrder = xxhash64(lit(cfg.seed()), col("id"));
    if (!caps.isEmpty()) {
      d = d.withColumn(RANK, rankAmongLive(col(CAT), cfg.seed()));
      Column cap = lit(null).cast("long");
      for (Map.Entry<String, Long> e : caps.entrySet()) {
        cap = when(col(CAT).equalTo(e.getKey()), lit(e.getValue())).otherwise(cap);
      }
      d =
          d.withColumn(
                  REASON,
                  when(
                          col(REASON).isNull().and(cap.isNotNull()).and(col(RANK).gt(cap)),
                          concat(lit("mix_cap:"), col(CAT)))
                      .otherwise(col(REASON)))
              .drop(RANK);
    }
    // 7. Target total, in seeded hash order over the whole mixture.
    if (cfg.target() != null) {
      Column measure =
          cfg.target().rows() != null ? lit(1L) : expr(cfg.target().tokenColumn()).cast("long");
      long limit = cfg.target().rows() != null ? cfg.target().rows() : cfg.target().tokens();
      d =
          d.withColumn(
              RANK,
              when(
                  col(REASON).isNull(),
                  sum(measure)
                      .over(
                          Window.partitionBy(col(REASON).isNull())
                              .orderBy(idOrder, col("id"))
                              .rowsBetween(Window.unboundedPreceding(), Window.currentRow()))));
      d =
          d.withColumn(
                  REASON,
                  when(col(REASON).isNull().and(col(RANK).gt(limit)), lit("mix_total"))
                      .otherwise(col(REASON)))
              .drop(RANK);
    }
    d = d.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> keptCopies = d.where(col(REASON).isNull());
    Dataset<Row> keptIds = keptCopies.select(col(ORIG).as("_k")).distinct();
    Dataset<Row> firstCopies = d.where(col(COPY).equalTo(0));
    Dataset<Row> lost =
        firstCopies.join(keptIds, firstCopies.col(ORIG).equalTo(keptIds.col("_k")), "left_anti");
    // A row with no kept copy is rejected with its first copy's rule (or, when that copy was
    // kept... impossible here: a kept first copy makes the row kept).
    Dataset<Row> lostRows = lost.withColumn("id", col(ORIG));
    Dataset<Row> rejected =
        RejectedRows.of(lostRows, STAGE, col(REASON), Map.of("detail", col(REASON)));
    Map<String, Long> byRule = new TreeMap<>();
    for (Row r : lostRows.groupBy(REASON).count().collectAsList()) {
      byRule.put(r.getString(0), r.getLong(1));
    }
    long rejectedN = byRule.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> keptBySource = new TreeMap<>();
    for (Row r : keptCopies.groupBy("source").count().collectAsList()) {
      keptBySource.put(r.getString(0), r.getLong(1));
    }
    Map<String, Long> keptByCat = new TreeMap<>();
    for (Row r : keptCopies.groupBy(CAT).count().collectAsList()) {
      keptByCat.put(r.getString(0), r.getLong(1));
    }
    long keptTotal = keptBySource.values().stream().mapToLong(Long::longValue).sum();
    long keptDistinct = rowsIn - rejectedN;
    Dataset<Row> kept = keptCopies.drop(REASON, ORIG, CAT);
    Resolved res =
        new Resolved(
            thresholds,
            proxied,
            addBack,
            inBySource,
            quota,
            keptBySource,
            cfg.categoryColumn(),
            inByCat,
            inByTask,
            keptByCat,
            caps,
            keptTotal - keptDistinct,
            byRule);
    return new Result(kept, rejected, rowsIn, keptDistinct, res);
  }

  /**
   * 1-based position of a row not yet rejected among such rows of its {@code group}, in seeded hash
   * order of ids (ties by id); null for rejected rows.
   */
  private static Column rankAmongLive(Column group, long seed) {
    return when(
        col(REASON).isNull(),
        row_number()
            .over(
                Window.partitionBy(group, col(REASON).isNull())
                    .orderBy(xxhash64(lit(seed), col("id")), col("id"))));
  }

  /**
   * {@code ${NAME}} replaced by the threshold's value ({@code NULL} when it could not be computed).
   */
  static String substitute(String e, Map<String, Double> thresholds) {
    String out = e;
    for (Map.Entry<String, Double> t : thresholds.entrySet()) {
      String v =
          t.getValue() == null
              ? "CAST(NULL AS DOUBLE)"
              : "CAST(" + Double.toString(t.getValue()) + " AS DOUBLE)";
      out = out.replace("${" + t.getKey() + "}", v);
    }
    if (out.contains("${")) {
      throw io.gristmill.core.Errors.invalidValue(
          "mix expression", e, "only ${NAME} of thresholds defined above it");
    }
    return out;
  }
}
