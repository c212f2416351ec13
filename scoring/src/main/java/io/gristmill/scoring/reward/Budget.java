package io.gristmill.scoring.reward;

/**
 * The work one verifier call may do. Every loop in the verifiers calls {@link #tick()}; the call
 * ends with {@link Exceeded} once it has taken more than {@code maxSteps} steps (deterministic: the
 * same input always stops at the same point, whatever the machine load) or, as a backstop, once the
 * wall-clock deadline has passed. No signals and no thread interruption are involved, so an
 * exceeded budget never harms the Spark task that runs the verifier.
 */
public final class Budget {
  /** Thrown when a call used up its budget; carries no stack trace (it is control flow). */
  public static final class Exceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exceeded(String what) {
      super(what, null, false, false);
    }
  }

  private final long maxSteps;
  private final long deadlineNanos;
  private long steps;

  private Budget(long maxSteps, long deadlineNanos) {
    this.maxSteps = maxSteps;
    this.deadlineNanos = deadlineNanos;
  }

  /** A budget of {@code maxSteps} steps and {@code maxMillis} of wall time, starting now. */
  public static Budget of(long maxSteps, long maxMillis) {
    return new Budget(maxSteps, System.nanoTime() + maxMillis * 1_000_000L);
  }

  /** Counts one step; throws {@link Exceeded} when the step or time limit is passed. */
  public void tick() {
    tick(1);
  }

  /** Counts {@code n} steps at once (e.g. for a scan over n characters). */
  public void tick(long n) {
    steps += n;
    if (steps > maxSteps) {
      throw new Exceeded("step limit of " + maxSteps + " exceeded");
    }
    if ((steps & 255) < n && System.nanoTime() > deadlineNanos) {
      throw new Exceeded("time limit exceeded");
    }
  }

  public long steps() {
    return steps;
  }
}
