package io.gristmill.jobs.report;

import static org.apache.spark.sql.functions.col;

import io.gristmill.core.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Sample rows of a snapshot table with their tags, for {@code gristmill show}: filtered by a Spark
 * SQL expression, in a total order (id, then the row's place in its input), the first user turn
 * truncated, and every column that is not part of the row itself printed as {@code name=value}.
 */
public final class RowSample {
  /** Columns that are the row itself, not tags about it. */
  static final Set<String> ROW_COLUMNS =
      Set.of(
          "id",
          "source",
          "messages",
          "original_id",
          "metadata",
          "data_source",
          "ground_truth",
          "file",
          "line",
          "excerpt");

  static final int MAX_VALUE_CHARS = 80;

  private RowSample() {}

  /** One row as printed. */
  public record Sample(
      String id, String source, int turns, String firstUserTurn, Map<String, String> tags) {}

  /** Filters, orders and prints up to {@code n} rows of {@code rows} (read from {@code table}). */
  public static String render(Dataset<Row> rows, String table, String where, int n, int width) {
    Dataset<Row> matching = rows;
    if (where != null && !where.isBlank()) {
      try {
        matching = rows.where(org.apache.spark.sql.functions.expr(where));
        matching.schema(); // analysis happens here: unknown columns, type errors
      } catch (Exception e) {
        // Spark throws AnalysisException (a checked exception in Java) without declaring it.
        if (!(e instanceof AnalysisException)) {
          throw e;
        }
        throw Errors.configInvalidValue(
            "command line",
            "--where",
            where,
            "a Spark SQL boolean expression over the columns "
                + String.join(", ", rows.columns())
                + " ("
                + e.getMessage().lines().findFirst().orElse("")
                + ")");
      }
    }
    List<Column> order = new ArrayList<>();
    for (String c : List.of("id", "stage", "source", "file", "line", "reason")) {
      if (List.of(rows.columns()).contains(c)) {
        order.add(col(c).asc_nulls_last());
      }
    }
    Dataset<Row> ordered = matching.orderBy(order.toArray(Column[]::new));
    long total = matching.count();
    List<Sample> samples = new ArrayList<>();
    for (Row r : ordered.limit(n).collectAsList()) {
      samples.add(sample(r, width));
    }
    return format(table, where, total, samples);
  }

  /** The printed text: a header line, then each row on two or three lines. */
  public static String format(String table, String where, long matching, List<Sample> samples) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%s%s: %d rows; showing %d, in id order%n",
            table,
            where == null || where.isBlank() ? "" : " where " + where,
            matching,
            samples.size()));
    int i = 0;
    for (Sample s : samples) {
      b.append(
          String.format(
              Locale.ROOT,
              "%n[%d] id=%s source=%s turns=%d%n",
              ++i,
              s.id(),
              s.source(),
              s.turns()));
      b.append("    user: ").append(s.firstUserTurn()).append('\n');
      if (!s.tags().isEmpty()) {
        b.append("    tags:");
        s.tags().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        b.append('\n');
      }
    }
    return b.toString();
  }

  static Sample sample(Row r, int width) {
    List<String> names = List.of(r.schema().fieldNames());
    String firstUser = null;
    int turns = 0;
    int m = names.indexOf("messages");
    if (m >= 0 && !r.isNullAt(m)) {
      List<Row> messages = r.getList(m);
      turns = messages.size();
      for (Row msg : messages) {
        if ("user".equals(msg.getAs("role"))) {
          firstUser = msg.getAs("content");
          break;
        }
      }
    }
    int ex = names.indexOf("excerpt");
    if (firstUser == null && ex >= 0 && !r.isNullAt(ex)) {
      firstUser = r.getString(ex);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      if (!ROW_COLUMNS.contains(names.get(i))) {
        tags.put(names.get(i), value(r.get(i)));
      }
    }
    return new Sample(
        string(r, names, "id"),
        string(r, names, "source"),
        turns,
        firstUser == null ? "(none)" : truncate(oneLine(firstUser), width),
        tags);
  }

  private static String string(Row r, List<String> names, String name) {
    int i = names.indexOf(name);
    return i < 0 || r.isNullAt(i) ? "-" : String.valueOf(r.get(i));
  }

  static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.4g", d);
    }
    if (v instanceof Float f) {
      return String.format(Locale.ROOT, "%.4g", f);
    }
    if (v instanceof Row row) {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        parts.add(value(row.get(i)));
      }
      return "[" + String.join(",", parts) + "]";
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      List<String> parts = new ArrayList<>();
      scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(x -> parts.add(value(x)));
      return truncate("[" + String.join(",", parts) + "]", MAX_VALUE_CHARS);
    }
    String s = oneLine(String.valueOf(v));
    return truncate(s.contains(" ") ? "\"" + s + "\"" : s, MAX_VALUE_CHARS);
  }

  static String oneLine(String s) {
    return s.replace("\r", "").replace("\n", "\\n").replace("\t", " ");
  }

  static String truncate(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
