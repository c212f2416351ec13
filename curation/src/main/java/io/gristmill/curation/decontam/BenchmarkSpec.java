package io.gristmill.curation.decontam;

import io.gristmill.core.Errors;
import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * One benchmark test set to decontaminate against (an element of {@code
 * decontamination.benchmarks}).
 *
 * @param name the benchmark's name in reports and outputs ({@code name})
 * @param path the file ({@code path}): JSON lines, a JSON array or a CSV with a header; {@code .gz}
 *     is read through gzip
 * @param format {@code jsonl}, {@code json} or {@code csv} ({@code format}); by default from the
 *     file name
 * @param fields the fields whose text is indexed, joined by newlines ({@code fields}); a field
 *     holding an array of strings contributes each element
 * @param idField the field naming an item ({@code id_field}); by default the item's 0-based
 *     position in the file
 * @param kind what the items are, for paraphrase verification ({@code kind}): {@code math} (word
 *     problems: numbers and the question asked must agree), {@code code} (function signature and
 *     behaviour words), {@code choice} (question and options), {@code text}; by default guessed
 *     from the name (gsm/math/svamp/aqua/aime/amc: math; humaneval/mbpp/code: code;
 *     mmlu/arc/openbook/piqa/siqa/hellaswag/commonsense: choice; else text)
 */
public record BenchmarkSpec(
    String name, String path, String format, List<String> fields, String idField, String kind)
    implements Serializable {
  public static final List<String> FORMATS = List.of("jsonl", "json", "csv");
  public static final List<String> KINDS = List.of("math", "code", "choice", "text");

  public BenchmarkSpec {
    name = Check.requiredText("name", name);
    path = Check.requiredText("path", path);
    format = Check.oneOf("format", format, guessFormat(path), FORMATS);
    fields = Check.listOrEmpty(fields);
    if (fields.isEmpty()) {
      throw Errors.invalidValue("fields", fields, "a non-empty list of field names");
    }
    kind = Check.oneOf("kind", kind, guessKind(name), KINDS);
  }

  /** A spec whose kind is guessed from its name. */
  public BenchmarkSpec(
      String name, String path, String format, List<String> fields, String idField) {
    this(name, path, format, fields, idField, null);
  }

  static String guessKind(String name) {
    String n = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
    for (String k : List.of("gsm", "math", "svamp", "aqua", "aime", "amc")) {
      if (n.contains(k)) {
        return "math";
      }
    }
    for (String k : List.of("humaneval", "human_eval", "mbpp", "code")) {
      if (n.contains(k)) {
        return "code";
      }
    }
    for (String k :
        List.of("mmlu", "arc", "openbook", "piqa", "siqa", "hellaswag", "commonsense")) {
      if (n.contains(k)) {
        return "choice";
      }
    }
    return "text";
  }

  private static String guessFormat(String path) {
    String p = path.endsWith(".gz") ? path.substring(0, path.length() - 3) : path;
    if (p.endsWith(".csv")) {
      return "csv";
    }
    if (p.endsWith(".json")) {
      return "json";
    }
    return "jsonl";
  }
}
