package io.gristmill.core.spark;

import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.core.record.Rejection;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark schemas of Gristmill's two row kinds and their conversion from the pure-Java records.
 * Column names are snake_case and are part of the snapshot format.
 */
public final class SparkSchemas {
  private SparkSchemas() {}

  public static final StructType MESSAGE =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("role", DataTypes.StringType, false),
            DataTypes.createStructField("content", DataTypes.StringType, false)
          });

  public static final ArrayType MESSAGES = DataTypes.createArrayType(MESSAGE, false);

  /** A kept conversation. */
  public static final StructType CONVERSATION =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("id", DataTypes.StringType, false),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("messages", MESSAGES, false),
            DataTypes.createStructField("original_id", DataTypes.StringType, true),
            DataTypes.createStructField("metadata", DataTypes.StringType, false),
            DataTypes.createStructField("data_source", DataTypes.StringType, true),
            DataTypes.createStructField("ground_truth", DataTypes.StringType, true),
            DataTypes.createStructField("file", DataTypes.StringType, true),
            DataTypes.createStructField("line", DataTypes.LongType, true)
          });

  /**
   * A dropped row. {@code id}, {@code messages} and {@code metadata} are null when the row never
   * parsed; later stages fill them so that nothing is lost. {@code duplicate_of*} and {@code
   * similarity} are set by the dedup stages.
   */
  public static final StructType REJECTED =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("stage", DataTypes.StringType, false),
            DataTypes.createStructField("reason", DataTypes.StringType, false),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("file", DataTypes.StringType, true),
            DataTypes.createStructField("line", DataTypes.LongType, false),
            DataTypes.createStructField("original_id", DataTypes.StringType, true),
            DataTypes.createStructField("id", DataTypes.StringType, true),
            DataTypes.createStructField("messages", MESSAGES, true),
            DataTypes.createStructField("metadata", DataTypes.StringType, true),
            DataTypes.createStructField("excerpt", DataTypes.StringType, true),
            DataTypes.createStructField("detail", DataTypes.StringType, true),
            DataTypes.createStructField("duplicate_of", DataTypes.StringType, true),
            DataTypes.createStructField("duplicate_of_original_id", DataTypes.StringType, true),
            DataTypes.createStructField("similarity", DataTypes.DoubleType, true),
            DataTypes.createStructField("data_source", DataTypes.StringType, true),
            DataTypes.createStructField("ground_truth", DataTypes.StringType, true)
          });

  /**
   * {@code messages} typed as {@link #MESSAGES} (non-null turns, roles and contents), for tables
   * read back from Parquet, whose nested fields come back nullable and which a non-null row encoder
   * refuses; a null role or content (never written by Gristmill) becomes "".
   */
  public static org.apache.spark.sql.Column messagesNotNull() {
    return org.apache.spark.sql.functions.expr(
        "transform(coalesce(messages, array()), m -> named_struct('role', coalesce(m.role, ''),"
            + " 'content', coalesce(m.content, '')))");
  }

  public static Row messagesRow(Message m) {
    return RowFactory.create(m.role(), m.content());
  }

  public static List<Row> messageRows(List<Message> messages) {
    List<Row> rows = new ArrayList<>(messages.size());
    for (Message m : messages) {
      rows.add(messagesRow(m));
    }
    return rows;
  }

  public static Row toRow(Conversation c) {
    return RowFactory.create(
        c.id(),
        c.source(),
        scala.jdk.javaapi.CollectionConverters.asScala(messageRows(c.messages())).toSeq(),
        c.originalId(),
        c.metadata(),
        c.dataSource(),
        c.groundTruth(),
        c.file(),
        c.line());
  }

  public static Conversation fromRow(Row row) {
    List<Row> ms = row.getList(row.fieldIndex("messages"));
    List<Message> messages = new ArrayList<>(ms.size());
    for (Row m : ms) {
      messages.add(new Message(m.getString(0), m.getString(1)));
    }
    return new Conversation(
        row.getString(row.fieldIndex("id")),
        row.getString(row.fieldIndex("source")),
        messages,
        row.getString(row.fieldIndex("original_id")),
        row.getString(row.fieldIndex("metadata")),
        optString(row, "data_source"),
        optString(row, "ground_truth"),
        optString(row, "file"),
        optLong(row, "line"));
  }

  private static int index(Row row, String field) {
    return java.util.Arrays.asList(row.schema().fieldNames()).indexOf(field);
  }

  private static String optString(Row row, String field) {
    int i = index(row, field);
    return i < 0 || row.isNullAt(i) ? null : row.getString(i);
  }

  private static long optLong(Row row, String field) {
    int i = index(row, field);
    return i < 0 || row.isNullAt(i) ? 0L : row.getLong(i);
  }

  /** A rejected row for an input that never became a conversation. */
  public static Row toRow(Rejection r) {
    return RowFactory.create(
        r.stage(),
        r.reason().code(),
        r.source(),
        r.file(),
        r.line(),
        r.originalId(),
        null,
        null,
        null,
        r.excerpt(),
        r.detail(),
        null,
        null,
        null,
        null,
        null);
  }
}
