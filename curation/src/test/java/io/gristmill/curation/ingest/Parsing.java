package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Test helper: parse one JSON text with a format's parser, as ingest would. */
final class Parsing {
  private Parsing() {}

  static ParseOutcome parse(Format format, String json) {
    return parse(SourceConfig.of("src", "unused", format), json);
  }

  static ParseOutcome parse(SourceConfig source, String json) {
    return parse(source, json, Map.of());
  }

  static ParseOutcome parse(SourceConfig source, String json, Map<String, List<String>> lookup) {
    JsonNode node;
    try {
      node = JsonLinesSource.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("test JSON does not parse: " + json, e);
    }
    return RecordParser.forFormat(source.format()).parse(node, new RecordContext(source, lookup));
  }

  static SourceConfig withFields(String name, Format format, Map<String, String> fields) {
    return new SourceConfig(name, List.of("unused"), format, fields, null, null, null);
  }
}
