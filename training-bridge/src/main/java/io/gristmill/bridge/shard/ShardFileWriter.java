package io.gristmill.bridge.shard;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * Writes one Arrow IPC file (file format; buffers uncompressed, LZ4-frame or ZSTD compressed with
 * Arrow's {@link CommonsCompressionFactory}) from rows in order. One {@link VectorSchemaRoot} is
 * reused for every record batch of {@code batchRows} rows; the file's SHA-256 and size are computed
 * while writing. The output is a pure function of the rows, the schema and {@code batchRows} and
 * the compression: the same rows give the same bytes.
 */
final class ShardFileWriter implements AutoCloseable {
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final ArrowRowAppender appender;
  private final DigestStream out;
  private final ArrowFileWriter writer;
  private final int batchRows;
  private final int[] tokenOrdinals;
  private final int trainableOrdinal;
  private final boolean trainableIsMask;
  private int inBatch;
  private long rows;
  private long tokens;
  private long trainable;
  private long minTokens = Long.MAX_VALUE;
  private long maxTokens;

  ShardFileWriter(
      OutputStream sink,
      ShardSchemas.Kind kind,
      int batchRows,
      String compression,
      BufferAllocator parent,
      String name) {
    Schema schema = ShardSchemas.of(kind, compression);
    this.batchRows = batchRows;
    this.allocator = parent.newChildAllocator(name, 0, Long.MAX_VALUE);
    this.root = VectorSchemaRoot.create(schema, allocator);
    this.root.allocateNew();
    this.appender = new ArrowRowAppender(root);
    this.out = new DigestStream(sink);
    CompressionUtil.CodecType codec = ShardWriteOptions.codecType(compression);
    ArrowFileWriter w;
    try {
      w =
          new ArrowFileWriter(
              root,
              null,
              Channels.newChannel(out),
              null,
              IpcOption.DEFAULT,
              codec == CompressionUtil.CodecType.NO_COMPRESSION
                  ? NoCompressionCodec.Factory.INSTANCE
                  : CommonsCompressionFactory.INSTANCE,
              codec);
    } catch (RuntimeException e) {
      root.close();
      allocator.close();
      throw e;
    }
    this.writer = w;
    List<String> tokenCols = ShardSchemas.tokenColumns(kind);
    this.tokenOrdinals = new int[tokenCols.size()];
    for (int i = 0; i < tokenOrdinals.length; i++) {
      tokenOrdinals[i] = ordinal(schema, tokenCols.get(i));
    }
    String tc = ShardSchemas.trainableColumn(kind);
    this.trainableOrdinal = tc == null ? -1 : ordinal(schema, tc);
    this.trainableIsMask = "loss_mask".equals(tc);
    try {
      writer.start();
    } catch (IOException e) {
      close();
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int ordinal(Schema schema, String name) {
    List<org.apache.arrow.vector.types.pojo.Field> fs = schema.getFields();
    for (int i = 0; i < fs.size(); i++) {
      if (fs.get(i).getName().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column " + name);
  }

  /** Appends one row whose ordinals follow the shard schema's field order. */
  void append(InternalRow row) throws IOException {
    appender.append(row, inBatch);
    inBatch++;
    rows++;
    long t = 0;
    for (int o : tokenOrdinals) {
      t += row.getArray(o).numElements();
    }
    tokens += t;
    minTokens = Math.min(minTokens, t);
    maxTokens = Math.max(maxTokens, t);
    if (trainableOrdinal < 0) {
      // no token columns (prompt sets)
    } else if (trainableIsMask) {
      ArrayData tr = row.getArray(trainableOrdinal);
      int n = tr.numElements();
      for (int k = 0; k < n; k++) {
        trainable += tr.getByte(k);
      }
    } else {
      trainable += row.getArray(trainableOrdinal).numElements();
    }
    if (inBatch == batchRows) {
      flush();
    }
  }

  private void flush() throws IOException {
    if (inBatch == 0) {
      return;
    }
    root.setRowCount(inBatch);
    writer.writeBatch();
    for (FieldVector v : root.getFieldVectors()) {
      v.reset();
    }
    inBatch = 0;
  }

  /** Writes the last batch and the footer; returns what was written. */
  ShardFile finish(int index, String tempPath) throws IOException {
    flush();
    writer.end();
    writer.close();
    out.flush();
    return new ShardFile(
        index,
        tempPath,
        rows,
        out.count,
        HexFormat.of().formatHex(out.digest.digest()),
        tokens,
        trainable,
        minTokens,
        maxTokens);
  }

  @Override
  public void close() {
    try {
      writer.close();
    } finally {
      root.close();
      allocator.close();
    }
  }

  /** Counts and hashes the bytes on their way to the sink. */
  private static final class DigestStream extends FilterOutputStream {
    final MessageDigest digest = io.gristmill.core.text.StableIds.sha256();
    long count;

    DigestStream(OutputStream sink) {
      super(sink);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      count += len;
    }
  }
}
