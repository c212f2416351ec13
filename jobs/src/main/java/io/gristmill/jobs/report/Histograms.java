package io.gristmill.jobs.report;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log2;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The report's distributions of kept rows, computed in two passes over the data whatever their
 * number: one aggregation for the range of every numeric value, one grouping that counts the bin or
 * value of every histogram at once (array columns, e.g. {@code code_languages}, are exploded in a
 * pass of their own).
 *
 * <p>Numeric bins: one per integer when the values are whole and span at most {@link
 * #MAX_INTEGER_VALUES}; powers of two for lengths (turns of characters or tokens); else {@link
 * #NUMERIC_BINS} of equal width from the minimum to the maximum. Categorical: most frequent first
 * (a known scale, e.g. Magpie's input quality, in its own order), the tail past {@link
 * #MAX_CATEGORIES} summed as {@code (other)}.
 */
final class Histograms {
  static final int MAX_CATEGORIES = 25;
  static final int NUMERIC_BINS = 20;
  static final int MAX_INTEGER_VALUES = 40;

  /** Ordered labels of the judge tags (Magpie's scales), shown in this order. */
  static final Map<String, List<String>> SCALES =
      Map.of(
          "input_quality", List.of("very poor", "poor", "average", "good", "excellent"),
          "difficulty", List.of("very easy", "easy", "medium", "hard", "very hard"));

  private enum Mode {
    CATEGORICAL,
    ARRAY,
    LOG2,
    INTEGER,
    WIDTH,
    EMPTY
  }

  private static final class Spec {
    final String name;
    final String title;
    final String column;
    final Column value;
    Mode mode;
    double lo;
    double hi;
    double width;
    long nulls;

    Spec(String name, String title, String column, Column value, Mode mode) {
      this.name = name;
      this.title = title;
      this.column = column;
      this.value = value;
      this.mode = mode;
    }

    boolean numeric() {
      return mode != Mode.CATEGORICAL && mode != Mode.ARRAY;
    }
  }

  private final List<Spec> specs = new ArrayList<>();

  /** A numeric distribution; {@code lengths} bins by powers of two. */
  Histograms numeric(String name, String title, String column, Column value, boolean lengths) {
    specs.add(
        new Spec(
            name,
            title,
            column,
            value.cast(DataTypes.DoubleType),
            lengths ? Mode.LOG2 : Mode.INTEGER));
    return this;
  }

  /** Counts per value of a column (an array column counts each element). */
  Histograms categorical(String column, String title, boolean isArray) {
    specs.add(
        new Spec(column, title, column, col(column), isArray ? Mode.ARRAY : Mode.CATEGORICAL));
    return this;
  }

  List<ReportNumbers.Histogram> compute(Dataset<Row> data) {
    List<Spec> numeric = specs.stream().filter(Spec::numeric).toList();
    if (!numeric.isEmpty()) {
      ranges(data, numeric);
    }
    Map<Spec, Map<String, Long>> counts = new HashMap<>();
    List<Column> keyed = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      Spec s = specs.get(i);
      if (s.mode != Mode.ARRAY && s.mode != Mode.EMPTY) {
        keyed.add(struct(lit(i).as("h"), key(s).cast(DataTypes.StringType).as("k")));
      }
      counts.put(s, new HashMap<>());
    }
    if (!keyed.isEmpty()) {
      Dataset<Row> stacked =
          data.select(explode(array(keyed.toArray(Column[]::new))).as("x"))
              .select(col("x.h"), col("x.k"))
              .groupBy("h", "k")
              .count();
      for (Row r : stacked.collectAsList()) {
        counts.get(specs.get(r.getInt(0))).put(r.isNullAt(1) ? null : r.getString(1), r.getLong(2));
      }
    }
    for (Spec s : specs) {
      if (s.mode == Mode.ARRAY) {
        // One row per element; a null or empty array gives one null row.
        Column values = when(size(s.value).gt(0), s.value);
        for (Row r :
            data.select(values.as("arr"))
                .select(explode_outer(col("arr")).as("e"))
                .select(col("e").cast(DataTypes.StringType).as("k"))
                .groupBy(col("k"))
                .count()
                .collectAsList()) {
          counts.get(s).put(r.isNullAt(0) ? null : r.getString(0), r.getLong(1));
        }
      }
    }
    List<ReportNumbers.Histogram> out = new ArrayList<>();
    for (Spec s : specs) {
      Map<String, Long> c = counts.get(s);
      Long nullCount = c.remove(null);
      if (!s.numeric()) {
        s.nulls = nullCount == null ? 0 : nullCount;
      }
      out.add(
          new ReportNumbers.Histogram(
              s.name,
              s.title,
              s.column,
              s.numeric() ? "numeric" : "categorical",
              s.numeric() ? numericBins(s, c) : categoricalBins(s.name, c),
              s.nulls));
    }
    return out;
  }

  /** One aggregation: minimum, maximum, non-null and non-whole counts of every numeric value. */
  private static void ranges(Dataset<Row> data, List<Spec> numeric) {
    List<Column> aggs = new ArrayList<>();
    for (int i = 0; i < numeric.size(); i++) {
      Column v = numeric.get(i).value;
      aggs.add(min(v));
      aggs.add(max(v));
      aggs.add(count(v));
      aggs.add(sum(when(v.isNotNull().and(v.notEqual(floor(v))), 1L).otherwise(0L)));
    }
    Row r = data.agg(count(lit(1)), aggs.toArray(Column[]::new)).first();
    long rows = r.getLong(0);
    for (int i = 0; i < numeric.size(); i++) {
      Spec s = numeric.get(i);
      int at = 1 + 4 * i;
      long present = r.getLong(at + 2);
      s.nulls = rows - present;
      if (present == 0) {
        s.mode = Mode.EMPTY;
        continue;
      }
      s.lo = r.getDouble(at);
      s.hi = r.getDouble(at + 1);
      boolean whole = r.getLong(at + 3) == 0;
      if (s.mode == Mode.LOG2 && s.lo < 0) {
        s.mode = Mode.WIDTH;
      } else if (s.mode == Mode.INTEGER && !(whole && s.hi - s.lo <= MAX_INTEGER_VALUES)) {
        s.mode = Mode.WIDTH;
      }
      s.width = s.hi > s.lo ? (s.hi - s.lo) / NUMERIC_BINS : 1.0;
    }
  }

  /** The bin (or value) of a row, null for a null value. */
  private static Column key(Spec s) {
    // least/greatest skip nulls, so a null value is kept null explicitly.
    return when(s.value.isNotNull(), bin(s));
  }

  private static Column bin(Spec s) {
    return switch (s.mode) {
      case LOG2 -> floor(log2(s.value.plus(1)));
      case INTEGER -> s.value.cast(DataTypes.LongType);
      case WIDTH ->
          greatest(
              lit(0L),
              least(lit((long) NUMERIC_BINS - 1), floor(s.value.minus(s.lo).divide(s.width))));
      default -> s.value;
    };
  }

  private static List<ReportNumbers.Bin> numericBins(Spec s, Map<String, Long> c) {
    Map<Long, Long> byKey = new TreeMap<>();
    c.forEach((k, v) -> byKey.merge(Long.parseLong(k), v, Long::sum));
    Map<String, Long> bins = new LinkedHashMap<>();
    switch (s.mode) {
      case LOG2 -> {
        long top = byKey.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        for (long e = 0; e <= top; e++) {
          long from = (1L << e) - 1;
          long to = (1L << (e + 1)) - 2;
          bins.put(from == to ? String.valueOf(from) : from + "–" + to, byKey.getOrDefault(e, 0L));
        }
      }
      case INTEGER -> {
        for (long x = (long) s.lo; x <= (long) s.hi; x++) {
          bins.put(String.valueOf(x), byKey.getOrDefault(x, 0L));
        }
      }
      case WIDTH -> {
        int n = s.hi > s.lo ? NUMERIC_BINS : 1;
        for (int i = 0; i < n; i++) {
          bins.put(
              fmt(s.lo + i * s.width) + "–" + fmt(s.lo + (i + 1) * s.width),
              byKey.getOrDefault((long) i, 0L));
        }
      }
      default -> {
        // EMPTY: every value null, no bins
      }
    }
    return toBins(bins);
  }

  private static List<ReportNumbers.Bin> categoricalBins(String name, Map<String, Long> counts) {
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(new TreeMap<>(counts).entrySet());
    List<String> scale = SCALES.get(name);
    sorted.sort(
        (a, b) -> {
          if (scale != null) {
            int ia = scale.indexOf(a.getKey());
            int ib = scale.indexOf(b.getKey());
            ia = ia < 0 ? scale.size() : ia;
            ib = ib < 0 ? scale.size() : ib;
            if (ia != ib) {
              return Integer.compare(ia, ib);
            }
          }
          return !a.getValue().equals(b.getValue())
              ? Long.compare(b.getValue(), a.getValue())
              : a.getKey().compareTo(b.getKey());
        });
    Map<String, Long> bins = new LinkedHashMap<>();
    long other = 0;
    for (int i = 0; i < sorted.size(); i++) {
      if (i < MAX_CATEGORIES) {
        bins.put(sorted.get(i).getKey(), sorted.get(i).getValue());
      } else {
        other += sorted.get(i).getValue();
      }
    }
    if (other > 0) {
      bins.put("(other)", other);
    }
    return toBins(bins);
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.3g", x);
  }

  static List<ReportNumbers.Bin> toBins(Map<String, Long> m) {
    return m.entrySet().stream().map(e -> new ReportNumbers.Bin(e.getKey(), e.getValue())).toList();
  }
}
