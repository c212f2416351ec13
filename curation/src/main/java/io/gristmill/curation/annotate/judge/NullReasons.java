package io.gristmill.curation.annotate.judge;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring_index;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

  /** {@code rows} with the column added (null) when it lacks it. */
  public static Dataset<Row> ensure(Dataset<Row> rows) {
    if (Arrays.asList(rows.columns()).contains(COLUMN)) {
      return rows;
    }
    return rows.withColumn(COLUMN, lit(null).cast(TYPE));
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
