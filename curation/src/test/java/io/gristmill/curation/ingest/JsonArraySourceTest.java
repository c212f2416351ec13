package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonArraySourceTest {
  @Test
  void streamsElementsNumberedFromOne() throws IOException {
    List<RawRecord> rs =
        read("[{\"a\": 1}, 5, {\"b\": \"" + "x".repeat(300) + "\"}, {\"c\": 3}]", 200);
    assertThat(rs).extracting(RawRecord::line).containsExactly(1L, 2L, 3L, 4L);
    assertThat(rs)
        .extracting(RawRecord::reason)
        .containsExactly(null, IngestReason.NOT_AN_OBJECT, IngestReason.OVERSIZED_RECORD, null);
  }

  @Test
  void aSyntaxErrorEndsTheArrayWithOneRejection() throws IOException {
    List<RawRecord> rs = read("[{\"a\": 1}, {\"b\": ]", 1024);
    assertThat(rs).extracting(RawRecord::reason).containsExactly(null, IngestReason.MALFORMED_JSON);
    assertThat(rs.get(1).line()).isEqualTo(2L);
    assertThat(rs.get(1).detail()).endsWith("the rest of the array could not be read");
  }

  private static List<RawRecord> read(String json, long max) throws IOException {
    List<RawRecord> out = new ArrayList<>();
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    try (JsonArraySource s = new JsonArraySource(new ByteArrayInputStream(bytes), max)) {
      RawRecord r;
      while ((r = s.next()) != null) {
        out.add(r);
      }
    }
    return out;
  }
}
