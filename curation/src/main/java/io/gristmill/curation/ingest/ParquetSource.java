package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.core.record.Rejection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * The rows of a Parquet file as JSON objects ({@link ParquetRows}); line = 1-based row. A row whose
 * JSON form is over {@code max_record_bytes} is rejected as {@code oversized_record}.
 */
final class ParquetSource implements RecordSource {
  private final ParquetReader<Group> reader;
  private final long maxBytes;
  private long row;

  @SuppressWarnings("deprecation") // the builder taking a Hadoop Path is the one for any FS
  ParquetSource(Path path, Configuration conf, long maxBytes) throws IOException {
    this.maxBytes = maxBytes;
    this.reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build();
  }

  @Override
  public RawRecord next() throws IOException {
    Group g = reader.read();
    if (g == null) {
      return null;
    }
    row++;
    ObjectNode node = ParquetRows.toJson(g);
    String json = node.toString();
    // The row's size as the JSON record it becomes, so max_record_bytes means the same as for JSON.
    long size = json.getBytes(StandardCharsets.UTF_8).length;
    if (size > maxBytes) {
      return RawRecord.bad(
          row,
          IngestReason.OVERSIZED_RECORD,
          "the row has "
              + size
              + " bytes as JSON; the limit (ingest.max_record_bytes) is "
              + maxBytes,
          Rejection.excerpt(json));
    }
    return RawRecord.ok(row, node, Rejection.excerpt(json));
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
