package io.gristmill.bridge.shard;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Executor side of {@link ShardWriterSparkStage}: consumes one Spark partition whose rows are
 * sorted by shard number (the last ordinal) and then by their in-shard order, and writes one file
 * per shard it meets under {@code tmpDir}, named with the task attempt so retries never collide.
 * Returns one {@link ShardFile} per file; rows never leave the executor.
 */
final class PartitionShardWriter implements FlatMapFunction<Iterator<InternalRow>, ShardFile> {
  private static final long serialVersionUID = 1L;
  private final ShardSchemas.Kind kind;
  private final int batchRows;
  private final String compression;
  private final String tmpDir;
  private final int shardOrdinal;
  private final SerializableConfiguration conf;

  PartitionShardWriter(
      ShardSchemas.Kind kind,
      int batchRows,
      String compression,
      String tmpDir,
      SerializableConfiguration conf) {
    this.conf = conf;
    this.kind = kind;
    this.batchRows = batchRows;
    this.compression = compression;
    this.tmpDir = tmpDir;
    this.shardOrdinal = ShardSchemas.of(kind).getFields().size();
  }

  @Override
  public Iterator<ShardFile> call(Iterator<InternalRow> rows) throws IOException {
    List<ShardFile> out = new ArrayList<>();
    TaskContext tc = TaskContext.get();
    String attempt = tc == null ? "local" : Long.toString(tc.taskAttemptId());
    Path dir = new Path(tmpDir);
    FileSystem fs = ShardWriterSparkStage.rawIfLocal(dir.getFileSystem(conf.value()));
    try (BufferAllocator allocator = new RootAllocator()) {
      int current = -1;
      ShardFileWriter writer = null;
      String path = null;
      try {
        while (rows.hasNext()) {
          InternalRow row = rows.next();
          int shard = row.getInt(shardOrdinal);
          if (shard != current) {
            if (writer != null) {
              out.add(writer.finish(current, path));
              writer.close();
              writer = null;
            }
            current = shard;
            path = new Path(dir, ShardFile.fileName(shard) + "." + attempt).toString();
            OutputStream os = fs.create(new Path(path), true);
            writer =
                new ShardFileWriter(os, kind, batchRows, compression, allocator, "shard-" + shard);
          }
          writer.append(row);
        }
        if (writer != null) {
          out.add(writer.finish(current, path));
        }
      } finally {
        if (writer != null) {
          writer.close();
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return out.iterator();
  }
}
