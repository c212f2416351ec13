package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.Errors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Loads {@code prompts_from} question files (JSON lines) once per JVM: key value to the question's
 * user turns. Questions that are not objects or lack the key or turns are skipped; an answer
 * pointing at one is then rejected as {@code missing_field}.
 */
final class PromptLookups {
  private static final Map<String, Map<String, List<String>>> CACHE = new ConcurrentHashMap<>();

  private PromptLookups() {}

  static Map<String, List<String>> load(
      String sourceName, PromptLookupConfig cfg, Configuration conf) {
    if (cfg == null) {
      return Map.of();
    }
    String cacheKey = cfg.path() + '\u0000' + cfg.key() + '\u0000' + cfg.turns();
    return CACHE.computeIfAbsent(cacheKey, k -> read(sourceName, cfg, conf));
  }

  private static Map<String, List<String>> read(
      String sourceName, PromptLookupConfig cfg, Configuration conf) {
    Map<String, List<String>> out = new HashMap<>();
    Path path = new Path(cfg.path());
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(path.getFileSystem(conf).open(path), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode q;
        try {
          q = JsonLinesSource.JSON.readTree(line);
        } catch (IOException e) {
          continue;
        }
        String key = JsonFields.text(JsonFields.get(q, cfg.key()));
        JsonNode turns = JsonFields.get(q, cfg.turns());
        if (key == null || !turns.isArray()) {
          continue;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode t : turns) {
          JsonNode c = t.isObject() ? JsonFields.get(t, "content") : t;
          texts.add(c.isTextual() ? c.asText() : "");
        }
        out.put(key, List.copyOf(texts));
      }
    } catch (IOException e) {
      throw Errors.inputUnreadable(sourceName, cfg.path(), e);
    }
    return Map.copyOf(out);
  }

  /** Checks on the driver that the file can be opened, so a bad path fails before any work. */
  static void checkReadable(String sourceName, PromptLookupConfig cfg, Configuration conf) {
    if (cfg == null) {
      return;
    }
    Path path = new Path(cfg.path());
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.isFile(path)) {
        throw Errors.inputNotFound(sourceName, cfg.path());
      }
    } catch (IOException e) {
      throw Errors.inputUnreadable(sourceName, cfg.path(), e);
    }
  }
}
