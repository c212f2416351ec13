package io.gristmill.curation.decontam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** JSON parsing for tests reading shared data line by line. */
final class DecontamUtil {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DecontamUtil() {}

  static JsonNode tree(String line) {
    try {
      return JSON.readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
