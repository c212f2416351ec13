package io.gristmill.curation.ingest;

import io.gristmill.core.snapshot.SnapshotManifest;
import java.io.Serializable;

/**
 * What reading one file gave: its size and checksum and its row counts, where {@code rowsRead ==
 * rowsKept + rowsRejected} by construction. {@code integrityFailure} (null when none) says why the
 * file failed its integrity check (a gzip CRC): its rows were streamed before the check and are all
 * counted as rejected.
 */
record FileStats(
    String source,
    String path,
    long bytes,
    String sha256,
    long rowsRead,
    long rowsKept,
    long rowsRejected,
    String integrityFailure)
    implements Serializable {

  SnapshotManifest.InputFile toInputFile() {
    return new SnapshotManifest.InputFile(
        source, path, bytes, sha256, rowsRead, rowsKept, rowsRejected);
  }
}
