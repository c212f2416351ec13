package io.gristmill.curation.annotate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import io.gristmill.core.text.TextNormalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Joins annotation columns computed elsewhere onto conversation rows, by id or by the normalized
 * first user turn ({@link TextNormalizer}: NFKC, case folded, whitespace collapsed, as exact
 * dedup's prompt key). Several file rows with one key: the smallest (by value) wins and they are
 * counted. Rows without a match keep their own value of a column, or null.
 */
public final class ImportedAnnotations {
  private ImportedAnnotations() {}

  private static final String KEY = "_imp_key";
  private static final String HIT = "_imp_hit";

  /** The joined rows and what matched. */
  public record Joined(
      Dataset<Row> rows, String path, long matched, long unmatched, long duplicateKeys) {
    public String detail() {
      return String.format(
          Locale.ROOT,
          "annotate: imported %s: %d rows matched, %d unmatched; %d keys repeated in the file",
          path,
          matched,
          unmatched,
          duplicateKeys);
    }
  }

  static final UserDefinedFunction NORMALIZE =
      udf(
          (UDF1<String, String>) s -> s == null ? null : TextNormalizer.normalize(s),
          DataTypes.StringType);

  public static Joined join(SparkSession spark, Dataset<Row> rows, ImportedAnnotationsConfig cfg) {
    Dataset<Row> file =
        cfg.format().equals("parquet")
            ? spark.read().parquet(cfg.path())
            : spark.read().json(cfg.path());
    boolean byId = cfg.joinOn().equals("id");
    Column fileKey =
        byId
            ? col(cfg.keyField()).cast("string")
            : NORMALIZE.apply(col(cfg.keyField()).cast("string"));
    List<Column> vals = new ArrayList<>();
    for (String c : cfg.columns()) {
      vals.add(
          col(ImportedAnnotationsConfig.from(c)).as("_imp_" + ImportedAnnotationsConfig.to(c)));
    }
    Dataset<Row> keyed = file.select(fileKey.as(KEY), struct(vals.toArray(Column[]::new)).as("v"));
    Dataset<Row> grouped =
        keyed
            .where(col(KEY).isNotNull())
            .groupBy(KEY)
            .agg(min(col("v")).as("v"), count(lit(1)).as("n"));
    long dupKeys = grouped.where(col("n").gt(1)).count();
    Column rowKey = byId ? col("id") : NORMALIZE.apply(expr(AnnotationColumns.FIRST_USER_TURN_SQL));
    Dataset<Row> joined =
        rows.withColumn(KEY, rowKey)
            .join(
                grouped.withColumn(HIT, lit(true)).drop("n").withColumnRenamed(KEY, "_imp_fkey"),
                col(KEY).equalTo(col("_imp_fkey")),
                "left")
            .drop("_imp_fkey", KEY);
    List<String> have = Arrays.asList(rows.columns());
    List<Column> out = new ArrayList<>();
    List<String> added = new ArrayList<>();
    for (String c : cfg.columns()) {
      added.add(ImportedAnnotationsConfig.to(c));
    }
    for (String c : rows.columns()) {
      if (added.contains(c)) {
        out.add(when(col(HIT), col("v._imp_" + c)).otherwise(col(c)).as(c));
      } else {
        out.add(col(c));
      }
    }
    for (String c : added) {
      if (!have.contains(c)) {
        out.add(col("v._imp_" + c).as(c));
      }
    }
    out.add(coalesce(col(HIT), lit(false)).as(HIT));
    Dataset<Row> result = joined.select(out.toArray(Column[]::new)).cache();
    Row counts = result.agg(sum(when(col(HIT), 1L).otherwise(0L)), count(lit(1))).first();
    long matched = counts.isNullAt(0) ? 0 : counts.getLong(0);
    long n = counts.getLong(1);
    return new Joined(result.drop(HIT), cfg.path(), matched, n - matched, dupKeys);
  }
}
