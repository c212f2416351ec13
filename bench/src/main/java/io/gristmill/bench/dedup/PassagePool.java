package io.gristmill.bench.dedup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Every distinct string of at least {@code minWords} words found in the JSON / JSON-lines files
 * under a folder (../shared/data/sft_chat), sorted, so the pool is the same on every run.
 */
final class PassagePool {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PassagePool() {}

  static List<String> load(Path dir, int minWords) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files =
          s.filter(
                  p ->
                      p.toString().endsWith(".json")
                          || p.toString().endsWith(".jsonl")
                          || p.toString().endsWith(".jsonl.gz"))
              .sorted()
              .toList();
    }
    for (Path f : files) {
      try (InputStream raw = Files.newInputStream(f);
          InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
          BufferedReader r =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        if (f.toString().endsWith(".json")) {
          collect(JSON.readTree(r), minWords, out);
        } else {
          String line;
          while ((line = r.readLine()) != null) {
            if (!line.isBlank()) {
              collect(JSON.readTree(line), minWords, out);
            }
          }
        }
      } catch (IOException e) {
        System.err.println("skipping unreadable " + f + ": " + e.getMessage());
      }
    }
    return new ArrayList<>(out);
  }

  private static void collect(JsonNode n, int minWords, TreeSet<String> out) {
    if (n.isTextual()) {
      String t = n.asText().trim();
      if (t.split("\\s+").length >= minWords) {
        out.add(t);
      }
    } else if (n.isContainerNode()) {
      n.forEach(c -> collect(c, minWords, out));
    }
  }
}
