package io.gristmill.jobs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.Errors;
import io.gristmill.core.snapshot.CodeVersion;
import io.gristmill.core.snapshot.Json;
import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.core.snapshot.SnapshotStore;
import io.gristmill.core.snapshot.SnapshotWriter;
import io.gristmill.core.stage.StageReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where reports are written: into a snapshot as it is written ({@link #writeInto}, by the jobs,
 * before commit), and for a committed snapshot ({@link #writeFor}, by {@code gristmill report}). A
 * report is two files, {@link #HTML} and {@link #JSON}, with the same numbers.
 */
public final class Reports {
  private static final Logger LOG = LoggerFactory.getLogger(Reports.class);

  public static final String HTML = "report.html";
  public static final String JSON = "report.json";

  private Reports() {}

  /** The two files of a report. */
  public record Written(String html, String json, ReportNumbers numbers) {}

  /**
   * Computes the report of the snapshot {@code w} is writing from its written {@code data/} and
   * {@code rejected/} and the facts it is about to commit, and writes both files into it. Call
   * after data and rejected are written and before {@code commit}.
   */
  public static void writeInto(
      SnapshotWriter w,
      String dataset,
      String job,
      JsonNode config,
      List<StageReport> stages,
      List<String> details,
      Map<String, Object> properties) {
    ReportSpark.Meta meta =
        new ReportSpark.Meta(
            new ReportNumbers.Snapshot(
                dataset, w.id(), job, null, Instant.now().toString(), CodeVersion.get(), null),
            config,
            stages,
            details,
            properties == null ? Map.of() : properties);
    long start = System.nanoTime();
    ReportNumbers n = ReportSpark.compute(w.written("data"), w.written("rejected"), meta);
    w.writeFile(JSON, json(n));
    w.writeFile(HTML, ReportHtml.render(n).getBytes(StandardCharsets.UTF_8));
    LOG.info(
        "report written to {} in {} s",
        new Path(w.dir(), HTML),
        String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
  }

  /**
   * Computes the report of a committed snapshot and writes it into {@code outDir}, or into the
   * snapshot's own folder when {@code outDir} is null.
   */
  public static Written writeFor(SparkSession spark, SnapshotRef ref, String outDir) {
    if (!ref.isSnapshot()) {
      throw Errors.snapshotNotFound(
          ref.given(), "it has no manifest.json (give a dataset folder or a snapshot folder)");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Dataset<Row> data = spark.read().parquet(ref.dataPath().toString());
    Path rejectedDir = ref.output("rejected");
    Dataset<Row> rejected =
        exists(rejectedDir, conf) ? spark.read().parquet(rejectedDir.toString()) : null;
    ReportNumbers n = ReportSpark.compute(data, rejected, ReportSpark.Meta.of(ref.manifest()));
    Path dir = outDir == null ? ref.snapshotDir() : new Path(outDir);
    SnapshotStore files = new SnapshotStore(dir, conf);
    Path html = new Path(dir, HTML);
    Path json = new Path(dir, JSON);
    files.writeFile(json, json(n));
    files.writeFile(html, ReportHtml.render(n).getBytes(StandardCharsets.UTF_8));
    return new Written(html.toString(), json.toString(), n);
  }

  /** The report page of a snapshot folder, when it has one. */
  public static Optional<String> where(String snapshotDir, Configuration conf) {
    Path html = new Path(snapshotDir, HTML);
    return exists(html, conf) ? Optional.of(html.toString()) : Optional.empty();
  }

  /** {@code report.json}'s bytes. */
  public static byte[] json(ReportNumbers n) {
    try {
      return Json.mapper().writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw Errors.internal("cannot write report.json", e);
    }
  }

  /** Reads a {@code report.json}. */
  public static ReportNumbers readJson(byte[] bytes) {
    try {
      return Json.mapper().readValue(bytes, ReportNumbers.class);
    } catch (IOException e) {
      throw Errors.internal("cannot read report.json", e);
    }
  }

  private static boolean exists(Path p, Configuration conf) {
    try {
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      throw Errors.inputUnreadable("snapshot", p.toString(), e);
    }
  }
}
