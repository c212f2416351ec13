package io.gristmill.scoring.reward;

import io.gristmill.core.config.Check;
import java.io.Serializable;
import java.util.List;

/**
 * One reward function of the registry, as written in YAML under {@code rewards.<data_source>}. The
 * reward is {@code correct_weight * correct + format_weight * format_ok - length_penalty_weight *
 * overflow}, where {@code format_ok} means an answer was found and the response is within {@code
 * max_length}, and {@code overflow} is the share by which the response exceeds {@code max_length}
 * (0 to 1, capped), counted in tokens when token ids are known and in characters otherwise.
 *
 * @param type {@code math}, {@code exact}, {@code normalized} or {@code choice}
 * @param lastNumberFallback math only: take the last number when no answer marker is found
 * @param relTol math only: relative tolerance for non-integer numbers
 * @param correctWeight weight of the correctness term (default 1)
 * @param formatWeight weight of the format term (default 0)
 * @param lengthPenaltyWeight weight of the length penalty (default 0)
 * @param maxLength the length above which the format term fails and the penalty starts (tokens or
 *     characters; default 32768)
 */
public record RewardSpec(
    String type,
    Boolean lastNumberFallback,
    Double relTol,
    Double correctWeight,
    Double formatWeight,
    Double lengthPenaltyWeight,
    Integer maxLength)
    implements Serializable {
  public static final List<String> TYPES = List.of("math", "exact", "normalized", "choice");

  public RewardSpec {
    type = Check.oneOf("type", type, "math", TYPES);
    lastNumberFallback = Check.orDefault(lastNumberFallback, false);
    relTol = Check.doubleInRange("rel_tol", relTol, 1e-6, 0.0, 0.1);
    correctWeight = Check.doubleInRange("correct_weight", correctWeight, 1.0, -100, 100);
    formatWeight = Check.doubleInRange("format_weight", formatWeight, 0.0, -100, 100);
    lengthPenaltyWeight =
        Check.doubleInRange("length_penalty_weight", lengthPenaltyWeight, 0.0, 0, 100);
    maxLength = Check.intInRange("max_length", maxLength, 32768, 1, Integer.MAX_VALUE);
  }

  /** A math reward with default weights. */
  public static RewardSpec math(boolean lastNumberFallback) {
    return new RewardSpec("math", lastNumberFallback, null, null, null, null, null);
  }

  Verifier verifier() {
    return switch (type) {
      case "math" -> new MathVerifier(lastNumberFallback, relTol);
      case "exact" -> new StringMatchVerifier(false);
      case "normalized" -> new StringMatchVerifier(true);
      case "choice" -> new ChoiceVerifier();
      default -> throw new IllegalStateException("unknown reward type " + type);
    };
  }
}
