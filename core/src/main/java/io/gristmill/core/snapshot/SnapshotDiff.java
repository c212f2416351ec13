package io.gristmill.core.snapshot;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What changed between two snapshots of one dataset ({@code gristmill snapshots diff A B}): kept
 * rows added and removed (by row id) per source, and rejected rows added and removed per source and
 * reason. Rows are compared as multisets ({@code exceptAll}), so a row rejected twice counts twice.
 *
 * @param kept per source (reason empty): kept rows in B not in A (added), in A not in B (removed)
 * @param rejected per source and reason: rejected rows added and removed
 */
public record SnapshotDiff(String from, String to, List<Line> kept, List<Line> rejected) {
  private static final String[] REJECTED_KEY = {"source", "file", "line", "id", "stage", "reason"};

  /** One count line. */
  public record Line(String source, String reason, long added, long removed) {}

  public static SnapshotDiff of(SparkSession spark, SnapshotStore store, String a, String b) {
    store.readManifest(a);
    store.readManifest(b);
    Dataset<Row> da = spark.read().parquet(store.dataDir(a).toString()).select("id", "source");
    Dataset<Row> db = spark.read().parquet(store.dataDir(b).toString()).select("id", "source");
    List<Line> kept = lines(db.exceptAll(da), da.exceptAll(db), false);
    Dataset<Row> ra = rejectedKey(spark.read().parquet(store.rejectedDir(a).toString()));
    Dataset<Row> rb = rejectedKey(spark.read().parquet(store.rejectedDir(b).toString()));
    List<Line> rejected = lines(rb.exceptAll(ra), ra.exceptAll(rb), true);
    return new SnapshotDiff(a, b, kept, rejected);
  }

  private static Dataset<Row> rejectedKey(Dataset<Row> rejected) {
    return rejected.select(
        java.util.Arrays.stream(REJECTED_KEY)
            .map(c -> col(c).cast("string").as(c))
            .toArray(org.apache.spark.sql.Column[]::new));
  }

  private static List<Line> lines(Dataset<Row> added, Dataset<Row> removed, boolean byReason) {
    Map<String, long[]> counts = new TreeMap<>();
    count(added, byReason, counts, 0);
    count(removed, byReason, counts, 1);
    List<Line> out = new ArrayList<>();
    counts.forEach(
        (k, v) -> {
          String[] parts = k.split("\u0000", -1);
          out.add(new Line(parts[0], byReason ? parts[1] : "", v[0], v[1]));
        });
    return out;
  }

  private static void count(
      Dataset<Row> rows, boolean byReason, Map<String, long[]> counts, int slot) {
    Dataset<Row> g =
        byReason
            ? rows.groupBy(
                    coalesce(col("source"), lit("?")).as("s"),
                    coalesce(col("reason"), lit("?")).as("r"))
                .count()
            : rows.groupBy(coalesce(col("source"), lit("?")).as("s")).count();
    for (Row r : g.collectAsList()) {
      String key = byReason ? r.getString(0) + "\u0000" + r.getString(1) : r.getString(0);
      counts.computeIfAbsent(key, x -> new long[2])[slot] += r.getLong(byReason ? 2 : 1);
    }
  }

  public long keptAdded() {
    return kept.stream().mapToLong(Line::added).sum();
  }

  public long keptRemoved() {
    return kept.stream().mapToLong(Line::removed).sum();
  }

  public long rejectedAdded() {
    return rejected.stream().mapToLong(Line::added).sum();
  }

  public long rejectedRemoved() {
    return rejected.stream().mapToLong(Line::removed).sum();
  }

  /** The diff as a table. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "snapshots diff %s -> %s%n", from, to));
    sb.append(
        String.format(Locale.ROOT, "kept rows: +%d -%d (by id)%n", keptAdded(), keptRemoved()));
    sb.append(String.format(Locale.ROOT, "  %-24s %10s %10s%n", "source", "added", "removed"));
    kept.forEach(
        l ->
            sb.append(
                String.format(
                    Locale.ROOT, "  %-24s %10d %10d%n", l.source(), l.added(), l.removed())));
    sb.append(
        String.format(Locale.ROOT, "rejected rows: +%d -%d%n", rejectedAdded(), rejectedRemoved()));
    sb.append(
        String.format(
            Locale.ROOT, "  %-24s %-24s %10s %10s%n", "source", "reason", "added", "removed"));
    rejected.forEach(
        l ->
            sb.append(
                String.format(
                    Locale.ROOT,
                    "  %-24s %-24s %10d %10d%n",
                    l.source(),
                    l.reason(),
                    l.added(),
                    l.removed())));
    return sb.toString();
  }
}
