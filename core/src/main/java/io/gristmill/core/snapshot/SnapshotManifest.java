package io.gristmill.core.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.stage.StageReport;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a snapshot: what went in, with which config and code, what came out,
 * and how long each stage took. Written last inside the snapshot, before {@code LATEST}.
 *
 * @param formatVersion manifest format version ({@link #FORMAT_VERSION})
 * @param job the job that wrote it ({@code curate}, {@code rollout}, ...)
 * @param inputs every input file with size, checksum and per-file row counts
 * @param config the effective config (after overrides), as JSON
 * @param stages per-stage counts and timings
 * @param outputs named output folders and their row counts (e.g. {@code data}, {@code rejected})
 * @param previousSnapshot the snapshot this one builds on (nightly refresh), or null
 */
public record SnapshotManifest(
    int formatVersion,
    String dataset,
    String snapshotId,
    String job,
    String createdAt,
    String codeVersion,
    List<InputFile> inputs,
    JsonNode config,
    List<StageReport> stages,
    Map<String, Long> outputs,
    String previousSnapshot,
    double totalSeconds) {
  public static final int FORMAT_VERSION = 1;

  /**
   * One input file. {@code rowsRead == rowsKept + rowsRejected} holds for every file, where kept
   * means it left ingest as a canonical record.
   */
  public record InputFile(
      String source,
      String path,
      long bytes,
      String sha256,
      long rowsRead,
      long rowsKept,
      long rowsRejected) {}
}
