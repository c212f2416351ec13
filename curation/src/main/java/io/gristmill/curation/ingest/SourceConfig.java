package io.gristmill.curation.ingest;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.gristmill.core.Errors;
import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One input source (an item of the YAML list {@code sources}).
 *
 * @param name the source name (YAML {@code name}, required): it goes into every record's {@code
 *     source} and {@code id}, and is what {@code exact_dedup.source_priority} lists
 * @param path one path or a list of paths (YAML {@code path}, required); each may be a glob ({@code
 *     data/*.jsonl}) on any Hadoop file system ({@code file:}, {@code hdfs://}, {@code s3a://}). A
 *     path or glob that matches nothing fails the run before any data is read
 * @param format the record layout (YAML {@code format}, required), see {@link Format}
 * @param fields renames for look-alike layouts (YAML {@code fields}): maps a logical field of the
 *     format to the input's field name, or to a JSON Pointer such as {@code /instances/0/input}.
 *     Logical fields: {@code instruction}, {@code input}, {@code output}, {@code system} (alpaca,
 *     prompt_completion and the prompt-set formats gsm8k, math, math500, gsm_hard, aime24, amc23,
 *     olympiadbench, minerva_math); {@code answer} (prompt-set formats: a field holding the
 *     reference answer verbatim, instead of the format's own rule); {@code messages}, {@code role},
 *     {@code content} (messages, verl); {@code conversations}, {@code from}, {@code value}, {@code
 *     chosen} (sharegpt); {@code turns} (turns); {@code history}, {@code user}, {@code bot}
 *     (history); {@code text} (hh); {@code id} (all: where the original id is read)
 * @param fileFormat the file layout (YAML {@code file_format}, default {@code auto}), see {@link
 *     FileFormat}
 * @param promptOnly keep records that have user turns but no assistant turn (YAML {@code
 *     prompt_only}): for prompt sets. Default true for {@code verl}, {@code gsm_hard}, {@code
 *     aime24}, {@code amc23}, {@code olympiadbench}, {@code minerva_math} and for {@code turns}
 *     without {@code prompts_from}, false otherwise
 * @param promptsFrom for answer files that only carry a question id (YAML {@code prompts_from}),
 *     see {@link PromptLookupConfig}
 * @param dataSource the {@code data_source} column of this source's rows (YAML {@code
 *     data_source}): overrides the format's default (e.g. {@code openai/gsm8k} for gsm8k, the
 *     record's own field for verl); null keeps the default
 */
public record SourceConfig(
    String name,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> path,
    Format format,
    Map<String, String> fields,
    FileFormat fileFormat,
    Boolean promptOnly,
    PromptLookupConfig promptsFrom,
    String dataSource)
    implements Serializable {

  /** The logical field names a {@code fields} mapping may use. */
  public static final List<String> FIELD_KEYS =
      List.of(
          "instruction",
          "input",
          "output",
          "system",
          "messages",
          "role",
          "content",
          "conversations",
          "from",
          "value",
          "chosen",
          "turns",
          "history",
          "user",
          "bot",
          "text",
          "id",
          "answer");

  public SourceConfig {
    name = Check.requiredText("name", name);
    path = Check.required("path", path);
    if (path.isEmpty() || path.stream().anyMatch(p -> p == null || p.isBlank())) {
      throw Errors.invalidValue("path", path, "a path or a non-empty list of non-empty paths");
    }
    path = List.copyOf(path);
    format = Check.required("format", format);
    fields = new TreeMap<>(fields == null ? Map.of() : fields);
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (!FIELD_KEYS.contains(e.getKey())) {
        throw Errors.invalidValue(
            "fields." + e.getKey(), e.getValue(), "a key among " + String.join(", ", FIELD_KEYS));
      }
      if (e.getValue() == null || e.getValue().isBlank()) {
        throw Errors.invalidValue("fields." + e.getKey(), e.getValue(), "a field name or pointer");
      }
    }
    fields = Map.copyOf(fields);
    fileFormat = Check.orDefault(fileFormat, FileFormat.AUTO);
    promptOnly =
        Check.orDefault(
            promptOnly,
            format.promptOnlyByDefault() || (format == Format.TURNS && promptsFrom == null));
    if (dataSource != null && dataSource.isBlank()) {
      throw Errors.invalidValue("data_source", dataSource, "a non-empty data source name");
    }
  }

  /** A source without a {@code data_source} override. */
  public SourceConfig(
      String name,
      List<String> path,
      Format format,
      Map<String, String> fields,
      FileFormat fileFormat,
      Boolean promptOnly,
      PromptLookupConfig promptsFrom) {
    this(name, path, format, fields, fileFormat, promptOnly, promptsFrom, null);
  }

  /** This source with its {@code data_source} set to {@code ds}. */
  public SourceConfig withDataSource(String ds) {
    return new SourceConfig(name, path, format, fields, fileFormat, promptOnly, promptsFrom, ds);
  }

  /** This source narrowed to {@code paths} (refresh reads only new or changed files). */
  public SourceConfig withPaths(List<String> paths) {
    return new SourceConfig(
        name, paths, format, fields, fileFormat, promptOnly, promptsFrom, dataSource);
  }

  /** A source with defaults for everything but name, path and format. */
  public static SourceConfig of(String name, String path, Format format) {
    return new SourceConfig(name, List.of(path), format, null, null, null, null, null);
  }

  /**
   * The input field for logical {@code key}: the mapping from {@code fields}, else {@code dflt}.
   */
  public String field(String key, String dflt) {
    return fields.getOrDefault(key, dflt);
  }

  /**
   * Checks the source names of a whole config ({@code file} names it in messages): every name once,
   * and every name a {@code source_priority} list gives ({@code priorities}: its YAML key to the
   * list) among them. A repeated name would merge two sources' rows and ids; an unknown one in a
   * priority list would silently rank nothing.
   */
  public static void checkNames(
      String file, List<SourceConfig> sources, Map<String, List<String>> priorities) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (int i = 0; i < sources.size(); i++) {
      String n = sources.get(i).name();
      if (!names.add(n)) {
        throw Errors.configInvalidValue(
            file, "sources[" + i + "].name", n, "a name no other source has");
      }
    }
    for (Map.Entry<String, List<String>> e : new TreeMap<>(priorities).entrySet()) {
      for (String n : e.getValue()) {
        if (!names.contains(n)) {
          throw Errors.configInvalidValue(
              file, e.getKey(), n, "names of sources in this config: " + String.join(", ", names));
        }
      }
    }
  }
}
