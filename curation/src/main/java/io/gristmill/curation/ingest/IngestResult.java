package io.gristmill.curation.ingest;

import io.gristmill.core.snapshot.SnapshotManifest;
import io.gristmill.core.stage.StageReport;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What ingest produced.
 *
 * @param kept canonical conversations ({@link io.gristmill.core.spark.SparkSchemas#CONVERSATION}),
 *     in file order, files in config order
 * @param rejected quarantined records ({@link io.gristmill.core.spark.SparkSchemas#REJECTED}, stage
 *     {@code ingest})
 * @param inputs every file read, with bytes, sha256 and rows read/kept/rejected
 * @param report the stage's counts per reason and wall time
 */
public record IngestResult(
    Dataset<Row> kept,
    Dataset<Row> rejected,
    List<SnapshotManifest.InputFile> inputs,
    StageReport report) {}
