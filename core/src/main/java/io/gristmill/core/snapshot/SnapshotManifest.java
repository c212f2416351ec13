package io.gristmill.core.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.stage.StageReport;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a snapshot: what went in, with which config and code, what came out,
 * and how long each stage took. Every job's snapshot has this one shape (written by {@link
 * SnapshotWriter}); it is written last inside the snapshot, before {@code LATEST}.
 *
 * @param formatVersion manifest format version ({@link #FORMAT_VERSION})
 * @param job the job that wrote it ({@code curate}, {@code rollout}, ...)
 * @param kind the dataset kind of {@code data/} (see {@code DatasetKind})
 * @param kindVersion the version of that kind's contract
 * @param schema the Spark schema of {@code data/} as JSON
 * @param codeVersion the Gristmill version that wrote it
 * @param inputs every input (file or snapshot) with size, checksum and where its rows ended up
 * @param config the effective config (after overrides), as JSON
 * @param stages per-stage counts and timings
 * @param details per-stage summary lines (banding chosen, per-benchmark counts)
 * @param outputs named output folders and their row counts (e.g. {@code data}, {@code rejected})
 * @param properties job facts a reader needs (e.g. {@code advantage_variant}, {@code devices})
 * @param previousSnapshot the snapshot this one builds on (refresh), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotManifest(
    int formatVersion,
    String dataset,
    String snapshotId,
    String job,
    String kind,
    int kindVersion,
    JsonNode schema,
    String createdAt,
    String codeVersion,
    List<InputFile> inputs,
    JsonNode config,
    List<StageReport> stages,
    List<String> details,
    Map<String, Long> outputs,
    Map<String, Object> properties,
    String previousSnapshot,
    double totalSeconds) {
  public static final int FORMAT_VERSION = 2;

  public SnapshotManifest {
    // JSON null reads back as a NullNode; keep one representation of "absent".
    schema = schema == null || schema.isNull() ? null : schema;
    config = config == null || config.isNull() ? null : config;
  }

  /**
   * One input: a file, or a snapshot another job wrote. {@code rowsRead == rowsKept +
   * rowsRejected}, where kept means the row is in this snapshot's {@code data/} and rejected means
   * it is in {@code rejected/}, after all stages; {@code rejectedByStage} says which stage dropped
   * them.
   *
   * @param bytes file size, or the total size of a snapshot's data files
   * @param sha256 the file's checksum, or that of the input snapshot's manifest.json
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record InputFile(
      String source,
      String path,
      long bytes,
      String sha256,
      long rowsRead,
      long rowsKept,
      long rowsRejected,
      Map<String, Long> rejectedByStage) {
    public InputFile(
        String source,
        String path,
        long bytes,
        String sha256,
        long rowsRead,
        long rowsKept,
        long rowsRejected) {
      this(source, path, bytes, sha256, rowsRead, rowsKept, rowsRejected, Map.of());
    }

    /** This input with its rows accounted. */
    public InputFile withCounts(long kept, Map<String, Long> rejectedByStage) {
      long rejected = rejectedByStage.values().stream().mapToLong(Long::longValue).sum();
      return new InputFile(
          source,
          path,
          bytes,
          sha256,
          kept + rejected,
          kept,
          rejected,
          new java.util.TreeMap<>(rejectedByStage));
    }
  }
}
