package io.gristmill.core.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.gristmill.core.record.ReasonCode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one builder of rejected rows: any table's rows become {@link SparkSchemas#REJECTED} rows.
 * Each REJECTED column is taken, in this order, from {@code set} (an explicit value), from the
 * input column of the same name (so a conversation keeps its id, messages, metadata, file and
 * line), or is null. Columns are cast to the REJECTED type; the order is the schema's.
 */
public final class RejectedRows {
  private RejectedRows() {}

  /** Rows rejected by {@code stage} for {@code reason}, with extra columns from {@code set}. */
  public static Dataset<Row> of(
      Dataset<Row> rows, String stage, ReasonCode reason, Map<String, Column> set) {
    return of(rows, stage, lit(reason.code()), set);
  }

  /** Rows rejected by {@code stage}; the reason is a column (several codes at once). */
  public static Dataset<Row> of(
      Dataset<Row> rows, String stage, Column reason, Map<String, Column> set) {
    Set<String> present = new HashSet<>(Arrays.asList(rows.columns()));
    StructType inSchema = rows.schema();
    StructField[] fields = SparkSchemas.REJECTED.fields();
    Column[] select = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i].name();
      Column c;
      if (name.equals("stage")) {
        c = lit(stage);
      } else if (name.equals("reason")) {
        c = reason;
      } else if (set.containsKey(name)) {
        c = set.get(name);
      } else if (present.contains(name)) {
        c = col(name);
        DataType have = inSchema.apply(name).dataType();
        if (!name.equals("line")
            && have.simpleString().equals(fields[i].dataType().simpleString())) {
          // Same type up to nullability (e.g. messages read back from Parquet, whose struct
          // fields are nullable): Spark refuses to cast nullable fields to non-null ones.
          select[i] = c.as(name);
          continue;
        }
      } else {
        c = lit(null);
      }
      if (name.equals("line") && !set.containsKey(name)) {
        // REJECTED.line is not nullable: rows without lineage say 0.
        c = org.apache.spark.sql.functions.coalesce(c.cast("long"), lit(0L));
      }
      select[i] = c.cast(fields[i].dataType()).as(name);
    }
    return rows.select(select);
  }
}
