package io.gristmill.core;

/**
 * The one exception type Gristmill raises for user-facing problems. Every instance is built by
 * {@link Errors}, so that messages keep one shape: the problem, the cause, and the fix.
 *
 * <p>{@link #kind()} lets the CLI map an error to an exit code a scheduler understands.
 */
public final class GristmillException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure this is; decides the CLI exit code. */
  public enum Kind {
    /** A configuration file or override is wrong (exit code 2). */
    CONFIG(2),
    /** An input path cannot be read or listed (exit code 3). */
    INPUT(3),
    /** An output could not be written or committed (exit code 4). */
    OUTPUT(4),
    /** A model or other resource could not be loaded (exit code 5). */
    RESOURCE(5),
    /** Anything else: a bug or an unexpected state (exit code 1). */
    INTERNAL(1);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final Kind kind;

  GristmillException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
