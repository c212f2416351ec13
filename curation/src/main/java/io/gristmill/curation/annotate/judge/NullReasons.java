package io.gristmill.curation.annotate.judge;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring_index;

import io.gristmill.curation.annotate.AnnotateSparkStage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;

/**
 * The {@code null_reasons} column: for a model column (judge or reward model) that the model stage
 * could not fill, the column name to the reason (e.g. {@code input_quality -> no_label}, {@code
 * reward -> too_long}). Null when the row has no such column.
 */
public final class NullReasons {
  public static final String COLUMN = "null_reasons";
  public static final MapType TYPE =
      DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false);

  private NullReasons() {}

  /**
   * Records in {@code reasons} why {@code column} is null after a model stage: {@code reason} when
   * {@code value} is null, nothing (and any earlier reason removed) when it has a value. A reason
   * only ever stands for a null value.
   */
  public static void record(
      Map<String, String> reasons, String column, Object value, String reason) {
    if (value == null) {
      reasons.put(column, reason);
    } else {
      reasons.remove(column);
    }
  }

  /** The column's value for a row: the map as Spark stores it, or null when it is empty. */
  public static Object value(Map<String, String> reasons) {
    return reasons.isEmpty() ? null : scala.jdk.javaapi.CollectionConverters.asScala(reasons);
  }

  /**
   * The input of a model stage: every model column present with its declared type (typed nulls
   * where missing, imported values cast) and the {@code null_reasons} column.
   */
  public static Dataset<Row> modelInput(Dataset<Row> input) {
    Dataset<Row> base = ensure(AnnotateSparkStage.withNullModelColumns(input));
    List<Column> cols = new java.util.ArrayList<>();
    for (String c : base.columns()) {
      var type = AnnotateSparkStage.MODEL_TYPES.get(c);
      cols.add(type == null ? col(c) : col(c).cast(type).as(c));
    }
    return base.select(cols.toArray(Column[]::new));
  }

  /** {@code rows} with the column added (null) when it lacks it. */
  public static Dataset<Row> ensure(Dataset<Row> rows) {
    if (Arrays.asList(rows.columns()).contains(COLUMN)) {
      return rows;
    }
    return rows.withColumn(COLUMN, lit(null).cast(TYPE));
  }

  /**
   * The {@code null_reasons} value with {@code reason} set for each of {@code columns} that is null
   * in the row (replacing an earlier reason of that column) and nothing else changed; null when the
   * map ends up empty.
   */
  public static Column setWhereNull(List<String> columns, String reason) {
    StringBuilder sb = new StringBuilder("map_concat(");
    sb.append(filtered(columns));
    for (String c : columns) {
      sb.append(", IF(`")
          .append(c)
          .append("` IS NULL, map('")
          .append(c)
          .append("', '")
          .append(reason)
          .append("'), ")
          .append(EMPTY)
          .append(')');
    }
    sb.append(')');
    return nullIfEmpty(sb.toString());
  }

  /** The {@code null_reasons} value without {@code column}'s entry when that column is filled. */
  public static Column clearWhereFilled(String column) {
    return expr("IF(`"
            + column
            + "` IS NULL, "
            + COLUMN
            + ", "
            + nullIfEmptySql(filtered(List.of(column)))
            + ")")
        .as(COLUMN);
  }

  private static final String EMPTY = "CAST(map() AS map<string,string>)";

  private static String filtered(List<String> columns) {
    StringBuilder in = new StringBuilder();
    for (String c : columns) {
      in.append(in.length() == 0 ? "" : ", ").append('\'').append(c).append('\'');
    }
    return "map_filter(coalesce(" + COLUMN + ", " + EMPTY + "), (k, v) -> NOT k IN (" + in + "))";
  }

  private static String nullIfEmptySql(String map) {
    return "IF(size(" + map + ") = 0, CAST(NULL AS map<string,string>), " + map + ")";
  }

  private static Column nullIfEmpty(String map) {
    return expr(nullIfEmptySql(map)).as(COLUMN);
  }

  /**
   * Rows per reason class (the reason up to its first {@code :}, so {@code ambiguous:a|b} counts as
   * {@code ambiguous}) for each of {@code columns}, from a small aggregate (no row collect).
   */
  public static Map<String, Map<String, Long>> counts(Dataset<Row> rows, List<String> columns) {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    columns.forEach(c -> out.put(c, new TreeMap<>()));
    Dataset<Row> e =
        rows.select(explode(col(COLUMN)).as(new String[] {"column", "reason"}))
            .filter(col("column").isin(columns.toArray()))
            .groupBy(col("column"), substring_index(col("reason"), ":", 1).as("why"))
            .count();
    for (Row r : e.collectAsList()) {
      out.get(r.getString(0)).put(r.getString(1), r.getLong(2));
    }
    return out;
  }
}
