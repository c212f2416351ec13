package io.gristmill.scoring.input;

import io.gristmill.scoring.ScoringReason;
import java.util.List;

/** What one input line became: rollouts, or a rejection with a reason and a detail. */
public record ParseResult(List<ImportedRollout> rollouts, ScoringReason reason, String detail) {
  public static ParseResult ok(List<ImportedRollout> rollouts) {
    return new ParseResult(List.copyOf(rollouts), null, null);
  }

  public static ParseResult rejected(ScoringReason reason, String detail) {
    return new ParseResult(List.of(), reason, detail);
  }

  public boolean isRejected() {
    return reason != null;
  }
}
