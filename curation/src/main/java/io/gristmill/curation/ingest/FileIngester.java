package io.gristmill.curation.ingest;

import io.gristmill.core.Errors;
import io.gristmill.core.record.Rejection;
import io.gristmill.core.text.StableIds;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads one file lazily: one {@link IngestItem} per record (kept or rejected), then one with the
 * file's {@link FileStats}. Nothing about the content fails the read: a record that cannot be read
 * or parsed is rejected, and a file whose bytes break off (a corrupt gzip stream, a truncated
 * Parquet file) ends with one {@code unreadable_file} rejection. Only a file that cannot be opened
 * at all throws ({@link Errors#inputUnreadable}). The SHA-256 covers the file's raw bytes.
 */
final class FileIngester implements Iterator<IngestItem>, Closeable {
  static final String STAGE = "ingest";
  private static final int SNIFF_BYTES = 1 << 12;

  private final SourceConfig source;
  private final String path;
  private final RecordParser parser;
  private final RecordContext ctx;
  private final Configuration conf;
  private final long maxBytes;
  private DigestInputStream raw;
  private RecordSource records;
  private long bytes;
  private long read;
  private long kept;
  private long rejected;
  private long lastLine;
  private IngestItem pending;
  private boolean finished;
  private boolean statsEmitted;
  private boolean closed;

  FileIngester(SourceConfig source, String path, IngestConfig config, Configuration conf) {
    this.source = source;
    this.path = path;
    this.parser = RecordParser.forFormat(source.format());
    this.ctx =
        new RecordContext(source, PromptLookups.load(source.name(), source.promptsFrom(), conf));
    this.conf = conf;
    this.maxBytes = config.maxRecordBytes();
    open();
  }

  private void open() {
    Path p = new Path(path);
    FileSystem fs;
    try {
      fs = p.getFileSystem(conf);
      bytes = fs.getFileStatus(p).getLen();
      raw = new DigestInputStream(fs.open(p), StableIds.sha256());
    } catch (IOException e) {
      throw Errors.inputUnreadable(source.name(), path, e);
    }
    FileFormat layout = source.fileFormat().resolve(path);
    try {
      if (layout == FileFormat.PARQUET) {
        records = new ParquetSource(p, conf);
        return;
      }
      // No BufferedInputStream above the gzip stream: it would read ahead into a corrupt tail and
      // lose the good lines before it. The sources buffer themselves.
      InputStream in = new BufferedInputStream(raw, 1 << 16);
      if (FileFormat.isGzip(path)) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      PushbackInputStream peek = new PushbackInputStream(in, SNIFF_BYTES);
      if (layout == FileFormat.JSON && startsWithBracket(peek)) {
        records = new JsonArraySource(peek, maxBytes);
      } else {
        records = new JsonLinesSource(peek, maxBytes);
      }
    } catch (IOException | RuntimeException e) {
      pending = unreadable(0, e);
      finished = true;
    }
  }

  /** Whether the first byte that is not whitespace or a BOM byte is '['; consumes nothing. */
  private static boolean startsWithBracket(PushbackInputStream in) throws IOException {
    byte[] head = new byte[SNIFF_BYTES];
    int n = 0;
    int r;
    while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
      n += r;
      for (int i = 0; i < n; i++) {
        int b = head[i] & 0xFF;
        if (!(b == 0xEF || b == 0xBB || b == 0xBF || Character.isWhitespace(b))) {
          in.unread(head, 0, n);
          return b == '[';
        }
      }
    }
    in.unread(head, 0, n);
    return false;
  }

  private IngestItem unreadable(long line, Exception e) {
    read++;
    rejected++;
    return new IngestItem(
        null,
        new Rejection(
            STAGE,
            IngestReason.UNREADABLE_FILE,
            source.name(),
            path,
            line,
            null,
            null,
            "the file could not be read from here on: " + e),
        null);
  }

  @Override
  public boolean hasNext() {
    if (pending == null && !finished) {
      pending = advance();
    }
    if (pending == null && !statsEmitted) {
      statsEmitted = true;
      pending = new IngestItem(null, null, stats());
    }
    return pending != null;
  }

  @Override
  public IngestItem next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    IngestItem out = pending;
    pending = null;
    return out;
  }

  private IngestItem advance() {
    RawRecord r;
    try {
      r = records.next();
    } catch (IOException | RuntimeException e) {
      finished = true;
      return unreadable(lastLine + 1, e);
    }
    if (r == null) {
      finished = true;
      return null;
    }
    lastLine = r.line();
    read++;
    if (r.reason() != null) {
      rejected++;
      return rejection(r, r.reason(), r.detail(), null);
    }
    ParseOutcome o;
    try {
      o = parser.parse(r.node(), ctx);
    } catch (RuntimeException e) {
      o =
          ParseOutcome.rejected(
              IngestReason.WRONG_TYPE, "the record could not be parsed: " + e, null);
    }
    if (o.isKept()) {
      kept++;
      return new IngestItem(o.conversation().withLineage(path, r.line()), null, null);
    }
    rejected++;
    return rejection(r, o.reason(), o.detail(), o.originalId());
  }

  private IngestItem rejection(RawRecord r, IngestReason reason, String detail, String originalId) {
    return new IngestItem(
        null,
        new Rejection(
            STAGE, reason, source.name(), path, r.line(), originalId, r.excerpt(), detail),
        null);
  }

  private FileStats stats() {
    close();
    return new FileStats(source.name(), path, bytes, sha256(), read, kept, rejected);
  }

  private String sha256() {
    MessageDigest d = raw.getMessageDigest();
    return HexFormat.of().formatHex(d.digest());
  }

  /** Closes the file, first reading whatever the parse left unread so the checksum is whole. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      byte[] skip = new byte[1 << 16];
      while (raw.read(skip) >= 0) {
        // Parquet reads through its own stream, JSON may stop early: hash every byte anyway.
      }
      if (records != null) {
        records.close();
      }
      raw.close();
    } catch (IOException e) {
      throw Errors.inputUnreadable(source.name(), path, e);
    }
  }
}
