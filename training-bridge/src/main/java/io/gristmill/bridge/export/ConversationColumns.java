package io.gristmill.bridge.export;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.gristmill.core.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Gives a conversation-like input (a curated snapshot, a prompt set, a selection, or a plain
 * Parquet table of conversations) every core CONVERSATION column: {@code id}, {@code source} and
 * {@code messages} are required; {@code original_id}, {@code data_source}, {@code ground_truth},
 * {@code file}, {@code line} are null and {@code metadata} is {@code "{}"} where the table has
 * none. Other columns are kept.
 */
final class ConversationColumns {
  private ConversationColumns() {}

  static final List<String> REQUIRED = List.of("id", "source", "messages");

  private static final Map<String, DataType> OPTIONAL = new LinkedHashMap<>();

  static {
    OPTIONAL.put("original_id", DataTypes.StringType);
    OPTIONAL.put("metadata", DataTypes.StringType);
    OPTIONAL.put("data_source", DataTypes.StringType);
    OPTIONAL.put("ground_truth", DataTypes.StringType);
    OPTIONAL.put("file", DataTypes.StringType);
    OPTIONAL.put("line", DataTypes.LongType);
  }

  static Dataset<Row> normalize(Dataset<Row> data, String format, String input) {
    Set<String> have = Set.of(data.columns());
    List<String> missing = new ArrayList<>();
    for (String c : REQUIRED) {
      if (!have.contains(c)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      throw Errors.inputLacksColumns(
          "export --format " + format,
          input,
          "conversation",
          String.join(", ", missing),
          "gristmill curate");
    }
    List<Column> cols = new ArrayList<>();
    for (String c : data.columns()) {
      if (c.equals("messages")) {
        cols.add(io.gristmill.core.spark.SparkSchemas.messagesNotNull().as(c));
      } else if (!OPTIONAL.containsKey(c)) {
        cols.add(col(c));
      }
    }
    for (Map.Entry<String, DataType> e : OPTIONAL.entrySet()) {
      String c = e.getKey();
      Column v = have.contains(c) ? col(c).cast(e.getValue()) : lit(null).cast(e.getValue());
      if (c.equals("metadata")) {
        v = coalesce(v, lit("{}"));
      }
      cols.add(v.as(c));
    }
    return data.select(cols.toArray(Column[]::new));
  }

  static boolean has(Dataset<Row> data, String column) {
    return Arrays.asList(data.columns()).contains(column);
  }
}
