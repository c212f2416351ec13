package io.gristmill.curation.ingest;

import java.io.Closeable;
import java.io.IOException;

/**
 * Streams the records of one file in order. A defective record comes back as a {@link
 * RawRecord#bad} record; an {@link IOException} means the rest of the file cannot be read.
 */
interface RecordSource extends Closeable {
  /** The next record, or null at the end of the file. */
  RawRecord next() throws IOException;
}
