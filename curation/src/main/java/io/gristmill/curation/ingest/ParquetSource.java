package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.core.record.Rejection;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/** The rows of a Parquet file as JSON objects ({@link ParquetRows}); line = 1-based row. */
final class ParquetSource implements RecordSource {
  private final ParquetReader<Group> reader;
  private long row;

  @SuppressWarnings("deprecation") // the builder taking a Hadoop Path is the one for any FS
  ParquetSource(Path path, Configuration conf) throws IOException {
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
    return RawRecord.ok(row, node, Rejection.excerpt(node.toString()));
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
