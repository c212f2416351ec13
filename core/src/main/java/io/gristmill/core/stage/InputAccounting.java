package io.gristmill.core.stage;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.gristmill.core.snapshot.SnapshotManifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where each input file's rows ended up after all stages: kept in {@code data/}, or rejected (by
 * which stage). Counted in Spark from the {@code file} column both tables carry, so the per-file
 * numbers sum to the snapshot's totals. Rows whose file is unknown (carried from a snapshot written
 * before rows had lineage) are listed under {@link #UNKNOWN}.
 */
public final class InputAccounting {
  public static final String UNKNOWN = "(unknown file)";

  private InputAccounting() {}

  /**
   * @param listed the input files with size and checksum, as ingest listed them
   * @return {@code listed} with counts, plus an {@link #UNKNOWN} entry when needed
   */
  public static List<SnapshotManifest.InputFile> account(
      List<SnapshotManifest.InputFile> listed, Dataset<Row> data, Dataset<Row> rejected) {
    Map<String, Long> kept = new HashMap<>();
    for (Row r : data.groupBy(coalesce(col("file"), lit(UNKNOWN))).count().collectAsList()) {
      kept.put(r.getString(0), r.getLong(1));
    }
    Map<String, Map<String, Long>> dropped = new HashMap<>();
    for (Row r :
        rejected
            .groupBy(coalesce(col("file"), lit(UNKNOWN)), col("stage"))
            .count()
            .collectAsList()) {
      dropped
          .computeIfAbsent(r.getString(0), k -> new TreeMap<>())
          .put(r.getString(1), r.getLong(2));
    }
    Map<String, SnapshotManifest.InputFile> byPath = new LinkedHashMap<>();
    for (SnapshotManifest.InputFile f : listed) {
      byPath.putIfAbsent(f.path(), f);
    }
    List<SnapshotManifest.InputFile> out = new ArrayList<>();
    for (SnapshotManifest.InputFile f : byPath.values()) {
      out.add(
          f.withCounts(kept.getOrDefault(f.path(), 0L), dropped.getOrDefault(f.path(), Map.of())));
    }
    java.util.Set<String> rest = new java.util.TreeSet<>(kept.keySet());
    rest.addAll(dropped.keySet());
    rest.removeAll(byPath.keySet());
    for (String path : rest) {
      SnapshotManifest.InputFile f = new SnapshotManifest.InputFile("?", path, -1, null, 0, 0, 0);
      out.add(f.withCounts(kept.getOrDefault(path, 0L), dropped.getOrDefault(path, Map.of())));
    }
    return out;
  }
}
