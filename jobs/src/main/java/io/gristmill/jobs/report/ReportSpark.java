package io.gristmill.jobs.report;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.size;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.stage.StageReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Computes {@link ReportNumbers} from a snapshot's {@code data/} and {@code rejected/} and its
 * manifest facts. Every annotation column is optional: a part whose column is absent is left out
 * and said so in {@code notes}, so the report works on plain curate output and on rl-chain
 * snapshots too. A handful of aggregations (the histograms take two passes, {@link Histograms});
 * nothing is collected but counts.
 */
public final class ReportSpark {
  /**
   * The manifest property in which a mixing stage may record kept-before-mix rows per task category
   * (a map of category to count); the report shows it as the "before" of the categories chart.
   */
  public static final String CATEGORY_BEFORE_PROPERTY = "rows_by_category_before";

  /** The mix stage's detail line with its resolved numbers as JSON. */
  static final String RESOLVED_PREFIX = io.gristmill.curation.mix.MixSparkStage.RESOLVED_PREFIX;

  /** The field of the resolved numbers with rows per task category entering the mix. */
  static final String RESOLVED_CATEGORY_BEFORE = "rowsInByTaskCategory";

  static final int MAX_CLUSTER_SIZE = 20;

  /** Categorical tag columns, in the order the report shows them. */
  static final List<String[]> CATEGORICAL =
      List.of(
          new String[] {"language", "Language"},
          new String[] {"input_quality", "Input quality"},
          new String[] {"difficulty", "Difficulty"},
          new String[] {"safety", "Safety"},
          new String[] {"code_languages", "Programming languages in code blocks"},
          new String[] {"multi_turn", "Multi-turn"},
          new String[] {"has_code", "Has code"},
          new String[] {"has_math", "Has math"},
          new String[] {"refusal", "Refusal"});

  /** Numeric tag columns, in the order the report shows them. */
  static final List<String[]> NUMERIC =
      List.of(
          new String[] {"judge_score", "Judge score"},
          new String[] {"reward", "Reward"},
          new String[] {"language_confidence", "Language confidence"},
          new String[] {"task_category_confidence", "Task category confidence"},
          new String[] {"dup_line_frac", "Duplicate line fraction"},
          new String[] {"dup_ngram_frac", "Duplicate n-gram fraction"},
          new String[] {"special_char_ratio", "Special character ratio"});

  private ReportSpark() {}

  /** The manifest facts a report needs; from a committed manifest or from a job about to commit. */
  public record Meta(
      ReportNumbers.Snapshot snapshot,
      JsonNode config,
      List<StageReport> stages,
      List<String> details,
      Map<String, Object> properties) {
    public static Meta of(SnapshotManifest m) {
      return new Meta(
          new ReportNumbers.Snapshot(
              m.dataset(),
              m.snapshotId(),
              m.job(),
              m.kind(),
              m.createdAt(),
              m.codeVersion(),
              m.previousSnapshot()),
          m.config(),
          m.stages() == null ? List.of() : m.stages(),
          m.details() == null ? List.of() : m.details(),
          m.properties() == null ? Map.of() : m.properties());
    }
  }

  /**
   * The numbers of a snapshot.
   *
   * @param rejected the rejected rows, or null when the snapshot has none
   */
  public static ReportNumbers compute(Dataset<Row> data, Dataset<Row> rejected, Meta meta) {
    List<String> notes = new ArrayList<>();
    Set<String> cols = Set.of(data.columns());
    Set<String> rcols = rejected == null ? Set.of() : Set.of(rejected.columns());

    Map<String, Long> keptBySource = countBy(data, cols.contains("source") ? "source" : null);
    Map<String, Long> rejectedBySource =
        rejected == null ? Map.of() : countBy(rejected, rcols.contains("source") ? "source" : null);
    long kept = keptBySource.values().stream().mapToLong(Long::longValue).sum();
    long dropped = rejectedBySource.values().stream().mapToLong(Long::longValue).sum();
    TreeMap<String, Long> allSources = new TreeMap<>(keptBySource);
    rejectedBySource.forEach((k, v) -> allSources.merge(k, 0L, Long::sum));
    List<ReportNumbers.SourceCount> sources = new ArrayList<>();
    allSources.forEach(
        (s, k) ->
            sources.add(
                new ReportNumbers.SourceCount(s, k + rejectedBySource.getOrDefault(s, 0L), k)));
    if (rejected == null) {
      notes.add("This snapshot has no rejected/ table: before counts equal after counts.");
    }

    JsonNode resolved = resolved(meta.details());
    Histograms hist = new Histograms();
    boolean messages = cols.contains("messages");
    if (cols.contains("turns_total")) {
      hist.numeric("turns", "Turns per conversation", "turns_total", col("turns_total"), false);
    } else if (messages) {
      hist.numeric(
          "turns", "Turns per conversation", "size(messages)", size(col("messages")), false);
    }
    boolean tokenColumns = cols.contains("tokens_user") || cols.contains("tokens_assistant");
    // Token columns are null when no tokenizer was configured: chart characters then, not zeros.
    boolean tokens =
        tokenColumns
            && !data.where(
                    coalesce(opt(cols, "tokens_user"), opt(cols, "tokens_assistant")).isNotNull())
                .isEmpty();
    if (tokens) {
      Column t =
          coalesce(opt(cols, "tokens_user"), lit(0))
              .plus(coalesce(opt(cols, "tokens_assistant"), lit(0)));
      hist.numeric(
          "tokens",
          "Tokens per conversation (user + assistant)",
          "tokens_user + tokens_assistant",
          t,
          true);
    } else if (messages) {
      notes.add(
          tokenColumns
              ? "Token counts are null (no tokenizer was configured): characters are shown instead"
                  + " of tokens."
              : "No tokens_user/tokens_assistant columns: characters are shown instead of tokens.");
      hist.numeric(
          "chars",
          "Characters per conversation",
          "sum of length(messages.content)",
          expr("aggregate(messages, 0L, (acc, m) -> acc + length(m.content))"),
          true);
    }
    List<String> absent = new ArrayList<>();
    for (String[] c : CATEGORICAL) {
      if (cols.contains(c[0])) {
        hist.categorical(c[0], c[1], data.schema().apply(c[0]).dataType() instanceof ArrayType);
      } else {
        absent.add(c[0]);
      }
    }
    for (String[] c : NUMERIC) {
      if (cols.contains(c[0])) {
        hist.numeric(c[0], c[1], c[0], col(c[0]), false);
      } else {
        absent.add(c[0]);
      }
    }
    if (!cols.contains("task_category")) {
      absent.add("task_category");
    }
    if (!absent.isEmpty()) {
      notes.add("Annotation columns absent from this snapshot: " + String.join(", ", absent) + ".");
    }
    List<ReportNumbers.Histogram> histograms = hist.compute(data);

    return new ReportNumbers(
        ReportNumbers.FORMAT_VERSION,
        meta.snapshot(),
        new ReportNumbers.Totals(kept + dropped, kept, dropped),
        sources,
        categories(data, cols, meta.properties(), resolved),
        meta.stages().stream()
            .map(
                s ->
                    new ReportNumbers.StageRow(
                        s.stage(),
                        s.rowsIn(),
                        s.kept(),
                        s.rejectedTotal(),
                        Math.round(s.seconds() * 10) / 10.0))
            .toList(),
        rejected == null ? List.of() : exclusions(rejected, meta.stages()),
        histograms,
        rejected == null || !rcols.contains("duplicate_of") ? List.of() : clusters(rejected),
        contamination(data, cols, rejected, rcols),
        meta.config(),
        meta.properties(),
        resolved,
        meta.details().stream().filter(d -> !d.startsWith(RESOLVED_PREFIX)).toList(),
        notes);
  }

  /** The mix stage's resolved numbers, from its detail line, or null. */
  static JsonNode resolved(List<String> details) {
    for (String d : details) {
      if (d.startsWith(RESOLVED_PREFIX)) {
        try {
          return io.gristmill.core.snapshot.Json.mapper()
              .readTree(d.substring(RESOLVED_PREFIX.length()));
        } catch (java.io.IOException e) {
          throw io.gristmill.core.Errors.internal(
              "report: the mix detail line is not JSON: " + d, e);
        }
      }
    }
    return null;
  }

  private static Column opt(Set<String> cols, String name) {
    return cols.contains(name) ? col(name) : lit(null).cast(DataTypes.LongType);
  }

  /** Rows per value of {@code column} (all rows under "(all)" when it is null), sorted by key. */
  private static Map<String, Long> countBy(Dataset<Row> rows, String column) {
    Map<String, Long> out = new TreeMap<>();
    if (column == null) {
      out.put("(all)", rows.count());
      return out;
    }
    for (Row r : rows.groupBy(coalesce(col(column), lit("(none)"))).count().collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  private static List<ReportNumbers.CategoryCount> categories(
      Dataset<Row> data, Set<String> cols, Map<String, Object> properties, JsonNode resolved) {
    if (!cols.contains("task_category")) {
      return List.of();
    }
    Map<String, Long> after = countBy(data, "task_category");
    Map<String, Long> before = new TreeMap<>();
    JsonNode in = resolved == null ? null : resolved.get(RESOLVED_CATEGORY_BEFORE);
    if (in != null && in.isObject()) {
      in.fields().forEachRemaining(e -> before.put(e.getKey(), e.getValue().asLong()));
    } else if (properties.get(CATEGORY_BEFORE_PROPERTY) instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            if (v instanceof Number num) {
              before.put(String.valueOf(k), num.longValue());
            }
          });
    }
    TreeMap<String, Long> all = new TreeMap<>(after);
    before.keySet().forEach(k -> all.putIfAbsent(k, 0L));
    List<ReportNumbers.CategoryCount> out = new ArrayList<>();
    all.forEach(
        (k, v) ->
            out.add(
                new ReportNumbers.CategoryCount(k, before.isEmpty() ? null : before.get(k), v)));
    out.sort(
        (a, b) ->
            a.after() != b.after()
                ? Long.compare(b.after(), a.after())
                : a.category().compareTo(b.category()));
    return out;
  }

  private static List<ReportNumbers.Exclusion> exclusions(
      Dataset<Row> rejected, List<StageReport> stages) {
    List<String> order = stages.stream().map(StageReport::stage).toList();
    List<ReportNumbers.Exclusion> out = new ArrayList<>();
    for (Row r : rejected.groupBy("stage", "reason").count().collectAsList()) {
      String reason = r.getString(1);
      int colon = reason.indexOf(':');
      out.add(
          new ReportNumbers.Exclusion(
              r.getString(0), reason, colon < 0 ? "" : reason.substring(colon + 1), r.getLong(2)));
    }
    out.sort(
        (a, b) -> {
          int sa = rank(order, a.stage());
          int sb = rank(order, b.stage());
          if (sa != sb) {
            return Integer.compare(sa, sb);
          }
          if (!a.stage().equals(b.stage())) {
            return a.stage().compareTo(b.stage());
          }
          return a.rows() != b.rows()
              ? Long.compare(b.rows(), a.rows())
              : a.reason().compareTo(b.reason());
        });
    return out;
  }

  private static int rank(List<String> order, String stage) {
    int i = order.indexOf(stage);
    return i < 0 ? order.size() : i;
  }

  /** Clusters per size, per dedup stage: a kept row and the rows rejected as its duplicates. */
  private static List<ReportNumbers.ClusterSizes> clusters(Dataset<Row> rejected) {
    Dataset<Row> dups =
        rejected
            .where(col("duplicate_of").isNotNull().and(col("reason").endsWith("duplicate")))
            .groupBy("stage", "duplicate_of")
            .count()
            .groupBy(col("stage"), col("count").plus(1).as("size"))
            .count();
    Map<String, TreeMap<Long, Long>> per = new TreeMap<>();
    for (Row r : dups.collectAsList()) {
      per.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getLong(1), r.getLong(2));
    }
    List<ReportNumbers.ClusterSizes> out = new ArrayList<>();
    per.forEach(
        (stage, sizes) -> {
          long clusters = 0;
          long duplicates = 0;
          Map<String, Long> bins = new LinkedHashMap<>();
          for (var e : sizes.entrySet()) {
            clusters += e.getValue();
            duplicates += (e.getKey() - 1) * e.getValue();
            String label =
                e.getKey() > MAX_CLUSTER_SIZE ? ">" + MAX_CLUSTER_SIZE : String.valueOf(e.getKey());
            bins.merge(label, e.getValue(), Long::sum);
          }
          out.add(
              new ReportNumbers.ClusterSizes(stage, clusters, duplicates, Histograms.toBins(bins)));
        });
    return out;
  }

  private static List<ReportNumbers.BenchmarkCount> contamination(
      Dataset<Row> data, Set<String> cols, Dataset<Row> rejected, Set<String> rcols) {
    Map<String, Long> removed = new TreeMap<>();
    if (rejected != null && rcols.contains("detail")) {
      // The decontamination stage writes "matches benchmark items [<matches as JSON>]".
      Column matches =
          from_json(
              regexp_extract(col("detail"), "(\\[.*\\])", 1),
              DataTypes.createArrayType(
                  DataTypes.createStructType(
                      new StructField[] {
                        DataTypes.createStructField("benchmark", DataTypes.StringType, true)
                      })));
      Dataset<Row> hit =
          rejected
              .where(col("stage").equalTo("decontamination"))
              .select(explode(array_distinct(matches.getField("benchmark"))).as("b"));
      for (Row r : hit.groupBy("b").count().collectAsList()) {
        removed.put(r.getString(0), r.getLong(1));
      }
    }
    Map<String, Long> flagged = new TreeMap<>();
    if (cols.contains("contamination")
        && data.schema().apply("contamination").dataType() instanceof ArrayType) {
      Dataset<Row> hit =
          data.where(size(col("contamination")).gt(0))
              .select(explode(array_distinct(col("contamination.benchmark"))).as("b"));
      for (Row r : hit.groupBy("b").count().collectAsList()) {
        flagged.put(r.getString(0), r.getLong(1));
      }
    }
    TreeMap<String, Long> all = new TreeMap<>(removed);
    flagged.keySet().forEach(k -> all.putIfAbsent(k, 0L));
    return all.keySet().stream()
        .map(
            b ->
                new ReportNumbers.BenchmarkCount(
                    b, removed.getOrDefault(b, 0L), flagged.getOrDefault(b, 0L)))
        .toList();
  }
}
