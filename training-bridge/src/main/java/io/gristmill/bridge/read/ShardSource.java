package io.gristmill.bridge.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * Random access to rows of the shards of one directory, one open shard and one loaded record batch
 * at a time (the common case, rows read in order, loads each batch once). Runs of rows are copied
 * into a target root with bulk buffer copies ({@link VectorRanges}).
 */
final class ShardSource implements AutoCloseable {
  private final Path dir;
  private final List<String> files;
  private final int batchRows;
  private final BufferAllocator allocator;
  private int openShard = -1;
  private FileChannel channel;
  private ArrowFileReader reader;
  private List<ArrowBlock> blocks;
  private int loadedBlock = -1;

  ShardSource(Path dir, List<String> files, int batchRows, BufferAllocator allocator) {
    this.dir = dir;
    this.files = files;
    this.batchRows = batchRows;
    this.allocator = allocator;
  }

  /**
   * Copies up to {@code len} rows starting at row {@code row} of shard {@code shard} to rows {@code
   * to..} of {@code dst}, stopping at the end of the record batch that holds {@code row}; returns
   * how many rows were copied (at least 1).
   */
  int copy(int shard, long row, int len, VectorSchemaRoot dst, int to) {
    try {
      if (shard != openShard) {
        open(shard);
      }
      int block = (int) (row / batchRows);
      if (block != loadedBlock) {
        reader.loadRecordBatch(blocks.get(block));
        loadedBlock = block;
      }
      VectorSchemaRoot src = reader.getVectorSchemaRoot();
      int from = (int) (row % batchRows);
      int n = Math.min(len, src.getRowCount() - from);
      for (int i = 0; i < src.getFieldVectors().size(); i++) {
        VectorRanges.copy(src.getVector(i), from, dst.getVector(i), to, n);
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void open(int shard) throws IOException {
    closeShard();
    channel = FileChannel.open(dir.resolve(files.get(shard)), StandardOpenOption.READ);
    // the factory decodes LZ4-frame and ZSTD buffers; uncompressed shards pass through unchanged
    reader = new ArrowFileReader(channel, allocator, CommonsCompressionFactory.INSTANCE);
    blocks = reader.getRecordBlocks();
    openShard = shard;
  }

  private void closeShard() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
    if (channel != null) {
      channel.close();
      channel = null;
    }
    openShard = -1;
    loadedBlock = -1;
  }

  @Override
  public void close() {
    try {
      closeShard();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
