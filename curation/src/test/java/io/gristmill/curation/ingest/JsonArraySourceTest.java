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

  /**
   * A syntax error costs its element; the file then ending without ']' is reported once more (issue
   * 14: what cannot be read is rejected and counted, never dropped).
   */
  @Test
  void aSyntaxErrorCostsItsElementAndAMissingBracketIsReported() throws IOException {
    List<RawRecord> rs = read("[{\"a\": 1}, {\"b\": ]", 1024);
    assertThat(rs)
        .extracting(RawRecord::reason)
        .containsExactly(null, IngestReason.MALFORMED_JSON, IngestReason.MALFORMED_JSON);
    assertThat(rs.get(1).line()).isEqualTo(2L);
    assertThat(rs.get(2).detail()).startsWith("the file ends before the array is closed");
  }

  /** Issue 14, finding 3: elements after a bad one, and a second array, are read on. */
  @Test
  void aBadElementCostsOnlyItselfAndASecondArrayIsReadOn() throws IOException {
    List<RawRecord> rs = read("[{\"a\": tru}, {\"b\": \"],\\\"\"}] [{\"c\": 3}] x", 1024);
    assertThat(rs).extracting(RawRecord::line).containsExactly(1L, 2L, 3L, 4L);
    assertThat(rs)
        .extracting(RawRecord::reason)
        .containsExactly(IngestReason.MALFORMED_JSON, null, null, IngestReason.MALFORMED_JSON);
    assertThat(rs.get(1).node().get("b").asText()).isEqualTo("],\"");
    assertThat(rs.get(3).detail()).startsWith("unexpected content after the array");
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
