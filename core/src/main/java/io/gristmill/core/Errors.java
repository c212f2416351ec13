package io.gristmill.core;

import io.gristmill.core.GristmillException.Kind;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * All user-facing errors, built in one place. Each message says what went wrong, why, and what to
 * do, and is pinned by tests: change a message here and in its test together.
 */
public final class Errors {
  private Errors() {}

  // ---- configuration ----------------------------------------------------------------------

  public static GristmillException configFileMissing(String file) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot read config %s: the file does not exist. Pass an existing YAML file to --config"
                + " (examples are in conf/).",
            file),
        null);
  }

  public static GristmillException configUnreadable(String file, String why, Throwable cause) {
    return new GristmillException(
        Kind.CONFIG,
        String.format("Cannot read config %s: %s. Fix the YAML syntax and run again.", file, why),
        cause);
  }

  public static GristmillException configUnknownKey(
      String file, String key, Collection<String> expected) {
    String allowed = expected.stream().sorted().collect(Collectors.joining(", "));
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot load config %s: unknown key '%s'. Expected one of: %s. Check the spelling.",
            file, key, allowed),
        null);
  }

  public static GristmillException configWrongType(
      String file, String key, String value, String expected) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot load config %s: key '%s' has value '%s' but expected %s.",
            file, key, value, expected),
        null);
  }

  public static GristmillException configMissingKey(String file, String key) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot load config %s: required key '%s' is missing. Add it to the file or pass"
                + " --set %s=VALUE.",
            file, key, key),
        null);
  }

  public static GristmillException configInvalidValue(
      String file, String key, String value, String expected) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot load config %s: key '%s' has invalid value '%s': expected %s.",
            file, key, value, expected),
        null);
  }

  public static GristmillException badOverride(String override) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot apply --set '%s': expected the form key=value, e.g. --set"
                + " dedup.prompt_level=false.",
            override),
        null);
  }

  /**
   * A value check that failed inside a config record, before the file name is known. {@link
   * io.gristmill.core.config.ConfigLoader} rethrows it with the file and the full key path.
   */
  public static InvalidValue invalidValue(String key, Object value, String expected) {
    return new InvalidValue(key, String.valueOf(value), expected);
  }

  /** A required config value that is absent; the loader reports it as a missing key. */
  public static InvalidValue missingValue(String key) {
    return new InvalidValue(key, null, "a value");
  }

  /** A failed check of one config value; carries the key relative to the record that checked it. */
  public static final class InvalidValue extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final String value;
    private final String expected;

    InvalidValue(String key, String value, String expected) {
      super(String.format("key '%s' has invalid value '%s': expected %s", key, value, expected));
      this.key = key;
      this.value = value;
      this.expected = expected;
    }

    public String key() {
      return key;
    }

    /** The offending value as text, or null when the value is missing altogether. */
    public String value() {
      return value;
    }

    public String expected() {
      return expected;
    }
  }

  // ---- inputs and outputs -----------------------------------------------------------------

  public static GristmillException inputNotFound(String source, String pathOrGlob) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot read source '%s': no file matches '%s'. Check the path in the config; globs"
                + " like data/*.jsonl are allowed.",
            source, pathOrGlob),
        null);
  }

  public static GristmillException inputUnreadable(String source, String path, Throwable cause) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot read source '%s': %s could not be opened (%s). Check that the path exists and"
                + " is readable.",
            source, path, cause == null ? "unknown cause" : cause.getMessage()),
        cause);
  }

  public static GristmillException outputFailed(String what, String path, Throwable cause) {
    return new GristmillException(
        Kind.OUTPUT,
        String.format(
            "Cannot write %s to %s: %s. Check free space and permissions.",
            what, path, cause == null ? "unknown cause" : cause.getMessage()),
        cause);
  }

  public static GristmillException snapshotNotFound(String datasetDir, String why) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot open dataset %s: %s. Point at ROOT/<dataset> written by 'gristmill curate'.",
            datasetDir, why),
        null);
  }

  public static GristmillException inputWrongKind(
      String command,
      String path,
      String actualKind,
      String actualJob,
      String accepted,
      String producers) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot run %s on %s: it holds a '%s' dataset (written by %s), and %s needs %s."
                + " Produce one with %s and point at its dataset folder or snapshot.",
            command, path, actualKind, actualJob, command, accepted, producers),
        null);
  }

  public static GristmillException inputLacksColumns(
      String command, String path, String kind, String missing, String producer) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot run %s on %s: a '%s' table needs column(s) %s, which it lacks. %s writes"
                + " such tables.",
            command, path, kind, missing, producer),
        null);
  }

  public static GristmillException outputHasWrongSchema(String job, String kind, String missing) {
    return new GristmillException(
        Kind.INTERNAL,
        String.format(
            "Cannot publish the %s snapshot: its data lacks the '%s' contract column(s) %s. This"
                + " is a bug in Gristmill; please report it.",
            job, kind, missing),
        null);
  }

  public static GristmillException rowsLost(
      String stage, long expectedIn, long actualIn, String previous) {
    return new GristmillException(
        Kind.INTERNAL,
        String.format(
            "Cannot run stage %s: it reports %d rows in, but %s kept %d; rows were lost between"
                + " stages. This is a bug in Gristmill; please report it.",
            stage, actualIn, previous, expectedIn),
        null);
  }

  // ---- snapshots: names, LATEST, locks, publication ----------------------------------------

  public static GristmillException latestInvalid(String datasetDir, String content, String why) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot open dataset %s: its LATEST file holds '%s', which %s. Write the id of a"
                + " complete snapshot into LATEST ('gristmill inspect %s --list' lists them).",
            datasetDir, content, why, datasetDir),
        null);
  }

  public static GristmillException datasetNameInvalid(String name) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot use dataset name '%s': a dataset name is one folder under the output root,"
                + " of letters, digits, '.', '_' or '-', starting with a letter or digit (so not"
                + " '.', '..' or a path).",
            name),
        null);
  }

  public static GristmillException datasetLocked(
      String datasetDir, String command, String holder, String lockFile) {
    return new GristmillException(
        Kind.OUTPUT,
        String.format(
            "Cannot start %s on dataset %s: another run holds its lock (%s). Wait for it to"
                + " finish; if that run is dead on another host, delete %s.",
            command, datasetDir, holder, lockFile),
        null);
  }

  public static GristmillException outputDiskFull(String what, String path, Throwable cause) {
    return new GristmillException(
        Kind.OUTPUT,
        String.format(
            "Cannot write %s to %s: the file system is full (%s). Free space or point --output"
                + " at a larger volume, then run again; the previous snapshot is unchanged.",
            what, path, cause == null ? "no space left" : cause.getMessage()),
        cause);
  }

  public static GristmillException outputInsideInput(
      String outputDir, String source, String inputDir) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot write dataset %s: it is inside the folder %s that source '%s' reads, so the"
                + " next run would read its own snapshots back as input. Set output_root (or"
                + " --output) outside the input folders.",
            outputDir, inputDir, source),
        null);
  }

  /**
   * The Gristmill error a failure of the environment stands for, found in {@code t}'s cause chain
   * (e.g. a Spark task's "No space left on device"), or null when it is none of them.
   */
  public static GristmillException fromEnvironment(Throwable t, String what, String path) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null
          && (m.contains("No space left on device")
              || m.contains("Disk quota exceeded")
              || m.contains("ENOSPC"))) {
        return outputDiskFull(what, path, c);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  // ---- resources ----------------------------------------------------------------------------

  public static GristmillException resourceFailed(String what, String path, Throwable cause) {
    return new GristmillException(
        Kind.RESOURCE,
        String.format(
            "Cannot load %s from %s: %s.",
            what, path, cause == null ? "unknown cause" : cause.getMessage()),
        cause);
  }

  public static GristmillException internal(String message, Throwable cause) {
    return new GristmillException(Kind.INTERNAL, message, cause);
  }

  // ---- curation: ingest, dedup, decontamination, annotation, mixing ------------------------

  // near-dedup and decontamination

  public static GristmillException nearDedupStateMismatch(
      String path, String key, String saved, String configured) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot use near-dedup state %s: it was built with %s=%s but the config has %s=%s, so"
                + " its signatures are not comparable. Set near_dedup.%s back to %s, or rebuild"
                + " the state without --prior-state.",
            path, key, saved, key, configured, key, saved),
        null);
  }

  public static GristmillException nearDedupStateHashFamily(
      String path, String saved, String current) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot use near-dedup state %s: its signatures were built with MinHash family %s"
                + " (an earlier Gristmill version) and this version computes %s, so they are not"
                + " comparable. Rebuild the state with one full `gristmill curate` run.",
            path, saved == null ? "(unnamed)" : saved, current),
        null);
  }

  public static GristmillException benchmarkFieldMissing(
      String benchmark, String file, String field) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot index benchmark '%s': no item of %s has the field '%s'. Fix"
                + " decontamination.benchmarks[].fields for this file.",
            benchmark, file, field),
        null);
  }

  public static GristmillException vertexHashesCollide(int salts) {
    return new GristmillException(
        Kind.INTERNAL,
        String.format(
            "Cannot finish near-dedup candidates: two row ids hashed to the same 64-bit vertex"
                + " under each of %d salts. This is a bug (the chance is about 1e-7 per salt);"
                + " report it with the input size.",
            salts),
        null);
  }

  public static GristmillException componentsDidNotConverge(int iterations) {
    return new GristmillException(
        Kind.INTERNAL,
        String.format(
            "Cannot finish near-dedup clustering: connected components did not converge after %d"
                + " iterations. This is a bug; report it with the input size.",
            iterations),
        null);
  }

  // ---- rollout ------------------------------------------------------------------------------

  /** A task classifier folder named in config holds no saved model. */
  public static GristmillException classifierNotFound(String key, String path) {
    return new GristmillException(
        Kind.RESOURCE,
        String.format(
            "Cannot load the task classifier %s (%s): no saved model there (its metadata/ folder"
                + " is missing). Train one first: gristmill classifier train --config"
                + " conf/annotation/classifier.yaml",
            path, key),
        null);
  }

  public static GristmillException modelNotFound(String path) {
    return new GristmillException(
        Kind.RESOURCE,
        String.format(
            "Cannot load model %s: it is neither a HuggingFace folder (config.json) nor a llama2.c"
                + " checkpoint (.bin). Point --model at a checkpoint folder.",
            path),
        null);
  }

  public static GristmillException modelUnsupported(String path, String what) {
    return new GristmillException(
        Kind.RESOURCE,
        String.format(
            "Cannot load model %s: %s is not supported. Use a Llama, Mistral, Qwen2 or Qwen3"
                + " checkpoint (supported fields: docs/decisions/rollout-engine.md).",
            path, what),
        null);
  }

  /** A sentence-encoder checkpoint (BERT family) with a field or architecture not computed. */
  public static GristmillException encoderUnsupported(String path, String what) {
    return new GristmillException(
        Kind.RESOURCE,
        String.format(
            "Cannot load sentence encoder %s: %s is not supported. Use a BERT-family checkpoint"
                + " (BertModel with absolute positions and gelu; see"
                + " docs/decisions/paraphrase-decontamination.md).",
            path, what),
        null);
  }

  public static GristmillException modelTensorMissing(String path, String tensor, String shape) {
    return new GristmillException(
        Kind.RESOURCE,
        String.format(
            "Cannot load model %s: tensor '%s' (shape %s) is missing. Check that the weights"
                + " match config.json.",
            path, tensor, shape),
        null);
  }

  public static GristmillException modelTensorShape(
      String path, String tensor, String expected, String actual) {
    return new GristmillException(
        Kind.RESOURCE,
        String.format(
            "Cannot load model %s: tensor '%s' has shape %s but config.json implies %s. Check"
                + " that the weights match config.json.",
            path, tensor, actual, expected),
        null);
  }

  public static GristmillException chatTemplateFailed(String why, Throwable cause) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot apply the model's chat template: %s. Check the prompt's roles or set"
                + " chat_template: false.",
            why),
        cause);
  }

  public static GristmillException promptTooLong(String promptId, int tokens, int limit) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot generate for prompt '%s': it has %d tokens but the model's context is %d."
                + " Shorten the prompt or lower max_new_tokens.",
            promptId, tokens, limit),
        null);
  }

  // ---- scoring ------------------------------------------------------------------------------

  public static GristmillException scoringInputMissingColumn(
      String path, String column, Collection<String> present) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot score %s: the input has no column '%s' (it has: %s). Imported rollouts need"
                + " prompt_id and response (or text); see conf/scoring-imported.yaml.",
            path, column, String.join(", ", present)),
        null);
  }

  public static GristmillException valueModelMissing(String path) {
    return new GristmillException(
        Kind.RESOURCE,
        String.format(
            "Cannot load the value model from %s: no trained model is there. Run 'gristmill"
                + " value-model train' with model_path set to this folder first.",
            path),
        null);
  }

  public static GristmillException valueModelTooFewRows(String path, long rows, long needed) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot train the value model on %s: it has %d usable rows (a text and a label), at"
                + " least %d are needed. Check text_column and label_expr in the config.",
            path, rows, needed),
        null);
  }

  // ---- training bridge ----------------------------------------------------------------------

  public static GristmillException shardManifestMissing(String dir) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot open shard directory %s: it has no manifest.json, so it is incomplete or not a"
                + " shard directory. Point at a directory written by 'gristmill export --format"
                + " shards-sft|shards-rl', and wait for the export to finish.",
            dir),
        null);
  }

  public static GristmillException shardManifestUnreadable(String path, Throwable cause) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot read shard manifest %s: %s. Re-run the export that wrote it.",
            path, cause == null ? "unknown cause" : cause.getMessage()),
        cause);
  }

  public static GristmillException shardCorrupt(String path, String why) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot use shard %s: %s. The file was changed or truncated after publication;"
                + " re-run the export.",
            path, why),
        null);
  }

  public static GristmillException shardOutputExists(String dir) {
    return new GristmillException(
        Kind.OUTPUT,
        String.format(
            "Cannot write shards to %s: it already holds a published dataset (manifest.json)."
                + " Choose a new --output directory or delete the old one.",
            dir),
        null);
  }

  public static GristmillException readerBadOption(String option, Object value, String expected) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot start shard reader: option '%s' has value '%s' but expected %s.",
            option, value, expected),
        null);
  }

  public static GristmillException exportUnknownFormat(String format) {
    return new GristmillException(
        Kind.CONFIG,
        String.format(
            "Cannot export: unknown format '%s'. Expected one of: shards-sft, shards-rl,"
                + " shards-prompts, hf-jsonl, hf-parquet, verl.",
            format),
        null);
  }

  public static GristmillException exportMissingColumns(String format, String missing) {
    return new GristmillException(
        Kind.INPUT,
        String.format(
            "Cannot export as %s: the snapshot data lacks column(s) %s. Use shards-rl only on"
                + " scored rollout snapshots, the other formats on curated snapshots.",
            format, missing),
        null);
  }

  // ---- jobs and CLI -------------------------------------------------------------------------
}
