package io.gristmill.bridge.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Random access to rows of the shards of one directory, one open shard and one loaded record batch
 * at a time (the common case, rows read in order, loads each batch once). Rows are copied into a
 * target root with transfer pairs made once per (shard, target).
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
  private VectorSchemaRoot target;
  private TransferPair[] pairs;

  ShardSource(Path dir, List<String> files, int batchRows, BufferAllocator allocator) {
    this.dir = dir;
    this.files = files;
    this.batchRows = batchRows;
    this.allocator = allocator;
  }

  /** Copies row {@code row} of shard {@code shard} to index {@code to} of {@code dst}. */
  void copy(int shard, long row, VectorSchemaRoot dst, int to) {
    try {
      if (shard != openShard) {
        open(shard);
      }
      int block = (int) (row / batchRows);
      if (block != loadedBlock) {
        reader.loadRecordBatch(blocks.get(block));
        loadedBlock = block;
      }
      if (dst != target) {
        bind(dst);
      }
      int from = (int) (row % batchRows);
      for (TransferPair p : pairs) {
        p.copyValueSafe(from, to);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void open(int shard) throws IOException {
    closeShard();
    channel = FileChannel.open(dir.resolve(files.get(shard)), StandardOpenOption.READ);
    reader = new ArrowFileReader(channel, allocator);
    blocks = reader.getRecordBlocks();
    openShard = shard;
    target = null;
  }

  private void bind(VectorSchemaRoot dst) throws IOException {
    List<FieldVector> src = reader.getVectorSchemaRoot().getFieldVectors();
    pairs = new TransferPair[src.size()];
    for (int i = 0; i < pairs.length; i++) {
      pairs[i] = src.get(i).makeTransferPair(dst.getVector(i));
    }
    target = dst;
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
