package io.gristmill.curation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesSourceTest {
  @Test
  void numbersPhysicalLinesAndSkipsBlankOnes() throws IOException {
    List<RawRecord> rs =
        read("\uFEFF{\"a\": 1}\r\n\n  \n{\"b\": 2}".getBytes(StandardCharsets.UTF_8), 1024);
    assertThat(rs).extracting(RawRecord::line).containsExactly(1L, 4L);
    assertThat(rs).allMatch(r -> r.reason() == null);
  }

  @Test
  void reportsInvalidUtf8InsteadOfReplacingIt() throws IOException {
    byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
    List<RawRecord> rs = read(bytes, 1024);
    assertThat(rs)
        .singleElement()
        .extracting(RawRecord::reason)
        .isEqualTo(IngestReason.INVALID_UTF8);
  }

  @Test
  void rejectsOversizedLinesWithoutParsingThem() throws IOException {
    String big = "{\"a\": \"" + "x".repeat(5000) + "\"}\n{\"b\": 1}\n";
    List<RawRecord> rs = read(big.getBytes(StandardCharsets.UTF_8), 100);
    assertThat(rs)
        .extracting(RawRecord::reason)
        .containsExactly(IngestReason.OVERSIZED_RECORD, null);
    assertThat(rs.get(0).detail()).startsWith("the line has 5009 bytes");
  }

  @Test
  void classifiesMalformedAndNonObjectLines() throws IOException {
    List<RawRecord> rs =
        read("{\"a\": \n[1]\n{\"a\": 1} x\n".getBytes(StandardCharsets.UTF_8), 1024);
    assertThat(rs)
        .extracting(RawRecord::reason)
        .containsExactly(
            IngestReason.MALFORMED_JSON, IngestReason.NOT_AN_OBJECT, IngestReason.MALFORMED_JSON);
  }

  private static List<RawRecord> read(byte[] bytes, long max) throws IOException {
    List<RawRecord> out = new ArrayList<>();
    try (JsonLinesSource s = new JsonLinesSource(new ByteArrayInputStream(bytes), max)) {
      RawRecord r;
      while ((r = s.next()) != null) {
        out.add(r);
      }
    }
    return out;
  }
}
