package io.gristmill.curation.ingest;

import io.gristmill.core.Errors;
import io.gristmill.core.record.Rejection;
import io.gristmill.core.text.StableIds;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
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
  private InputStream gzip;
  private RecordSource records;
  private String integrityFailure;
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
      String special = notRegular(fs, p);
      if (special != null) {
        // Opening a FIFO blocks until a writer comes, reading a device may never end.
        pending = unreadable(0, special + ", so it was not read");
        finished = true;
        return;
      }
      if (fs instanceof ChecksumFileSystem cfs && p.getName().contains(":")) {
        // The local file system looks for a ".name.crc" beside the file and builds that name as a
        // URI, which a ':' breaks; input files have no such checksum file anyway.
        fs = cfs.getRawFileSystem();
      }
      bytes = fs.getFileStatus(p).getLen();
      raw = new DigestInputStream(fs.open(p), StableIds.sha256());
    } catch (IOException e) {
      throw Errors.inputUnreadable(source.name(), path, e);
    }
    FileFormat layout = source.fileFormat().resolve(path);
    try {
      if (layout == FileFormat.PARQUET) {
        records = new ParquetSource(p, conf, maxBytes);
        return;
      }
      // No BufferedInputStream above the gzip stream: it would read ahead into a corrupt tail and
      // lose the good lines before it. The sources buffer themselves.
      InputStream in = new BufferedInputStream(raw, 1 << 16);
      if (FileFormat.isGzip(path)) {
        in = new GZIPInputStream(in, 1 << 16);
        gzip = in;
      }
      Sniffed peek = new Sniffed(in);
      if (layout == FileFormat.JSON && peek.startsWithBracket()) {
        records = new JsonArraySource(peek, maxBytes);
      } else {
        records = new JsonLinesSource(peek, maxBytes);
      }
    } catch (IOException | RuntimeException e) {
      pending = unreadable(0, e);
      finished = true;
    }
  }

  /**
   * Why {@code p} on the local file system is not a regular file (a FIFO, socket or device), or
   * null. Other file systems have only files and directories.
   */
  private static String notRegular(FileSystem fs, Path p) {
    if (!"file".equals(fs.getUri().getScheme())) {
      return null;
    }
    java.nio.file.Path local = java.nio.file.Path.of(p.toUri().getPath());
    if (Files.isRegularFile(local) || !Files.exists(local)) {
      return null;
    }
    return "it is not a regular file (a FIFO, socket or device)";
  }

  /**
   * A stream whose first bytes were read ahead to sniff the layout and are handed out again first.
   * Unlike {@link java.io.PushbackInputStream}, a read returns the read-ahead bytes alone and never
   * goes on to the stream below in the same call: an error there (a truncated gzip) would otherwise
   * lose the good bytes read before it.
   */
  private static final class Sniffed extends java.io.FilterInputStream {
    private final byte[] head = new byte[SNIFF_BYTES];
    private int headLen;
    private int headPos;

    Sniffed(InputStream in) {
      super(in);
    }

    /** Whether the first byte that is not whitespace or a BOM byte is '['; consumes nothing. */
    boolean startsWithBracket() throws IOException {
      int r;
      while (headLen < head.length && (r = in.read(head, headLen, head.length - headLen)) > 0) {
        headLen += r;
        for (int i = 0; i < headLen; i++) {
          int b = head[i] & 0xFF;
          if (!(b == 0xEF || b == 0xBB || b == 0xBF || Character.isWhitespace(b))) {
            return b == '[';
          }
        }
      }
      return false;
    }

    @Override
    public int read() throws IOException {
      return headPos < headLen ? head[headPos++] & 0xFF : in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (headPos < headLen) {
        int n = Math.min(len, headLen - headPos);
        System.arraycopy(head, headPos, b, off, n);
        headPos += n;
        return n;
      }
      return in.read(b, off, len);
    }
  }

  private IngestItem unreadable(long line, Exception e) {
    if (e instanceof ZipException && gzip != null) {
      integrityFailure = "the gzip stream failed its integrity check (" + e.getMessage() + ")";
    }
    return unreadable(line, "the file could not be read from here on: " + e);
  }

  private IngestItem unreadable(long line, String detail) {
    read++;
    rejected++;
    return new IngestItem(
        null,
        new Rejection(
            STAGE, IngestReason.UNREADABLE_FILE, source.name(), path, line, null, null, detail),
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
      return verifyGzip();
    }
    lastLine = r.line();
    read++;
    if (r.reason() == null) {
      String surrogate = JsonFields.loneSurrogate(r.node());
      if (surrogate != null) {
        rejected++;
        return rejection(r, IngestReason.INVALID_UTF8, surrogate, null);
      }
    }
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

  /**
   * Reads a gzip file's decompressed stream to its end after the last record, so its CRC and size
   * trailer are checked even when the records stopped early; the rejection of the rest when the
   * check fails, else null.
   */
  private IngestItem verifyGzip() {
    if (gzip == null) {
      return null;
    }
    try {
      byte[] skip = new byte[1 << 16];
      while (gzip.read(skip) >= 0) {
        // Decompressed bytes after the last record: their content was reported already.
      }
      return null;
    } catch (IOException e) {
      return unreadable(lastLine + 1, e);
    }
  }

  /**
   * The file's stats. A gzip file that failed its integrity check has all its rows counted as
   * rejected: they were already handed on as kept (a file is streamed, and the CRC is at its end),
   * and {@link IngestSparkStage} turns them into rejections by the {@link
   * FileStats#integrityFailure} it sees here.
   */
  private FileStats stats() {
    close();
    if (integrityFailure != null) {
      rejected += kept;
      kept = 0;
    }
    return new FileStats(
        source.name(), path, bytes, sha256(), read, kept, rejected, integrityFailure);
  }

  private String sha256() {
    if (raw == null) {
      return HexFormat.of().formatHex(StableIds.sha256().digest());
    }
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
    if (raw == null) {
      return;
    }
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
