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

  // ---- rollout ------------------------------------------------------------------------------

  // ---- scoring ------------------------------------------------------------------------------

  // ---- training bridge ----------------------------------------------------------------------

  // ---- jobs and CLI -------------------------------------------------------------------------
}
