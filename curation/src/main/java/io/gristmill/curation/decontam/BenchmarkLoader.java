package io.gristmill.curation.decontam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.gristmill.core.Errors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads benchmark test sets into {@link BenchmarkItem}s on the driver (they are small: thousands of
 * items). JSON lines, JSON arrays and CSV with a header; gzip by the {@code .gz} suffix.
 */
public final class BenchmarkLoader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchmarkLoader() {}

  /**
   * The spec's items. A directory path loads every file in it whose name ends like the format
   * ({@code .csv}, {@code .json}, {@code .jsonl}, optionally {@code .gz}), in name order, with item
   * ids prefixed by the file name before its first dot ({@code sociology_test:12}).
   */
  public static List<BenchmarkItem> load(BenchmarkSpec spec) {
    Path dir = Path.of(spec.path());
    if (Files.isDirectory(dir)) {
      List<BenchmarkItem> out = new ArrayList<>();
      try (var files = Files.list(dir)) {
        for (Path f :
            files
                .filter(
                    f ->
                        f.getFileName().toString().replace(".gz", "").endsWith("." + spec.format()))
                .sorted()
                .toList()) {
          String stem = f.getFileName().toString().split("\\.")[0];
          BenchmarkSpec one =
              new BenchmarkSpec(
                  spec.name(),
                  f.toString(),
                  spec.format(),
                  spec.fields(),
                  spec.idField(),
                  spec.kind());
          for (BenchmarkItem it : loadFile(one)) {
            out.add(
                new BenchmarkItem(
                    it.benchmark(), stem + ":" + it.item(), it.text(), it.parts(), it.kind()));
          }
        }
      } catch (IOException e) {
        throw Errors.inputUnreadable("benchmark " + spec.name(), spec.path(), e);
      }
      return out;
    }
    return loadFile(spec);
  }

  private static List<BenchmarkItem> loadFile(BenchmarkSpec spec) {
    Path p = Path.of(spec.path());
    if (!Files.isRegularFile(p)) {
      throw Errors.inputNotFound("benchmark " + spec.name(), spec.path());
    }
    try (InputStream raw = Files.newInputStream(p);
        InputStream in = spec.path().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      List<JsonNode> rows =
          switch (spec.format()) {
            case "csv" -> csvRows(reader);
            case "json" -> jsonArray(reader);
            default -> jsonLines(reader);
          };
      return items(spec, rows);
    } catch (IOException | RuntimeException e) {
      if (e instanceof io.gristmill.core.GristmillException g) {
        throw g;
      }
      throw Errors.inputUnreadable("benchmark " + spec.name(), spec.path(), e);
    }
  }

  static List<BenchmarkItem> items(BenchmarkSpec spec, List<JsonNode> rows) {
    List<BenchmarkItem> out = new ArrayList<>(rows.size());
    boolean[] seen = new boolean[spec.fields().size()];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      StringBuilder text = new StringBuilder();
      List<String> parts = new ArrayList<>();
      for (int f = 0; f < spec.fields().size(); f++) {
        JsonNode v = row.get(spec.fields().get(f));
        if (v != null && !v.isNull()) {
          seen[f] = true;
          appendText(text, v, parts);
        }
      }
      String id =
          spec.idField() != null && row.hasNonNull(spec.idField())
              ? row.get(spec.idField()).asText()
              : String.valueOf(i);
      out.add(new BenchmarkItem(spec.name(), id, text.toString(), parts, spec.kind()));
    }
    for (int f = 0; f < seen.length; f++) {
      if (!rows.isEmpty() && !seen[f]) {
        throw Errors.benchmarkFieldMissing(spec.name(), spec.path(), spec.fields().get(f));
      }
    }
    return out;
  }

  private static void appendText(StringBuilder sb, JsonNode v, List<String> parts) {
    if (v.isArray()) {
      v.forEach(e -> appendText(sb, e, parts));
      return;
    }
    if (sb.length() > 0) {
      sb.append('\n');
    }
    String t = v.isTextual() ? v.asText() : v.toString();
    sb.append(t);
    parts.add(t);
  }

  private static List<JsonNode> jsonLines(Reader reader) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    BufferedReader br = new BufferedReader(reader);
    String line;
    while ((line = br.readLine()) != null) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  private static List<JsonNode> jsonArray(Reader reader) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(reader).forEach(out::add);
    return out;
  }

  private static List<JsonNode> csvRows(Reader reader) {
    CsvParserSettings s = new CsvParserSettings();
    s.setHeaderExtractionEnabled(true);
    s.setMaxCharsPerColumn(-1);
    CsvParser parser = new CsvParser(s);
    List<JsonNode> out = new ArrayList<>();
    parser.beginParsing(reader);
    String[] header = parser.getContext().headers();
    String[] r;
    while ((r = parser.parseNext()) != null) {
      if (header == null) {
        header = parser.getContext().headers();
      }
      var node = JSON.createObjectNode();
      for (int i = 0; i < r.length && header != null && i < header.length; i++) {
        node.put(header[i], r[i]);
      }
      out.add(node);
    }
    parser.stopParsing();
    return out;
  }
}
