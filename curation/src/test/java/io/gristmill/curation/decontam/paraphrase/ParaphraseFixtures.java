package io.gristmill.curation.decontam.paraphrase;

import io.gristmill.core.record.Conversation;
import io.gristmill.core.record.Message;
import io.gristmill.curation.decontam.BenchmarkItem;
import java.util.List;

/** Hand-written benchmark-like items of every kind, with planted rephrasings and hard negatives. */
public final class ParaphraseFixtures {
  private ParaphraseFixtures() {}

  /** Fixture items are short: a lower information floor than the default for 20k-item indexes. */
  public static final ParaphraseConfig CONFIG =
      new ParaphraseConfig(
          null, null, null, 0.2, 3.0, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null);

  /** A three-turn conversation whose last user turn is {@code user}. */
  public static Conversation conv(String id, String user) {
    return new Conversation(
        id,
        "web",
        List.of(Message.user("Hello there."), Message.assistant("Hi!"), Message.user(user)),
        null,
        "{}");
  }

  public static final String MATH_ITEM =
      "A baker makes 48 rolls each morning. She sells three quarters of them before noon and gives"
          + " 5 to a shelter. How many rolls are left at the end of the day?";
  public static final String MATH_REPHRASED =
      "Each morning a bakery worker bakes forty-eight rolls. By midday 75% of them have been sold,"
          + " and five are donated to a shelter. How many rolls remain when the day is over?";

  /**
   * MATH_ITEM reworded so far that its terms no longer retrieve it (containment under the floor),
   * with its numbers and its question kept: what only the embedding signal brings to the verifier.
   */
  public static final String MATH_REWORDED_BELOW_FLOOR =
      "At dawn a pastry cook pulls 48 loaves out of the oven; by lunchtime 3/4 were bought and"
          + " 5 went to charity. How many loaves are still left by the close of the day?";

  public static final String MATH_OTHER_NUMBERS =
      "A baker makes 60 rolls each morning. She sells two thirds of them before noon and gives 7"
          + " to a shelter. How many rolls are left at the end of the day?";
  public static final String MATH_OTHER_QUESTION =
      "A baker makes 48 rolls each morning. She sells three quarters of them before noon and gives"
          + " 5 to a shelter. How much money does she earn from the sold rolls at $2 apiece?";

  public static final String CODE_ITEM =
      "from typing import List\n\n\ndef count_peaks(heights: List[int], min_rise: int) -> int:\n"
          + "    \"\"\" Count the positions whose height exceeds both neighbours by at least"
          + " min_rise.\n    >>> count_peaks([1, 5, 2, 7, 3], 2)\n    2\n    \"\"\"\n";
  public static final String CODE_REPHRASED =
      "from typing import List\n\ndef number_of_summits(elevations: List[int], least_gain: int)"
          + " -> int:\n    \"\"\" Returns how many positions have an elevation exceeding both"
          + " neighbours by at least least_gain (peaks).\n    >>> number_of_summits([2, 6, 1, 8, 2],"
          + " 3)\n    2\n    \"\"\"\n    return sum(1 for i in range(1, len(elevations) - 1)\n"
          + "        if elevations[i] - max(elevations[i - 1], elevations[i + 1]) >= least_gain)";
  public static final String CODE_OTHER_SIGNATURE =
      "def count_peaks(heights, min_rise, wrap, strict):\n    \"\"\" Count peaks in a circular list"
          + " of heights, positions exceeding both neighbours by min_rise. \"\"\"";

  public static final String CHOICE_QUESTION =
      "Which gas makes up most of the atmosphere of the planet Venus?";
  public static final List<String> CHOICE_OPTIONS =
      List.of("Carbon dioxide", "Nitrogen", "Sulfuric acid vapour", "Argon");
  public static final String CHOICE_REORDERED =
      "Quiz time! The atmosphere of Venus consists mostly of which gas?\n"
          + "(a) Argon (b) Sulfuric acid vapour (c) Nitrogen (d) Carbon dioxide";
  public static final String CHOICE_OTHER_QUESTION =
      "Which planet has the thickest atmosphere? (a) Venus (b) Earth (c) Mars (d) Titan";

  public static final String TEXT_ITEM =
      "Compose a persuasive letter to a city council asking for protected bicycle lanes along"
          + " the riverside boulevard, citing safety statistics and tourism benefits.";
  public static final String TEXT_REPHRASED =
      "Write a persuasive letter to the city council requesting protected bicycle lanes on the"
          + " riverside boulevard; cite safety statistics and the tourism benefits.";

  /** Planted rephrasings (p-), a verbatim copy (v-), hard negatives (n-) and a clean row. */
  public static List<Conversation> conversations() {
    return List.of(
        conv("p-math", MATH_REPHRASED),
        conv("p-code", CODE_REPHRASED),
        conv("p-choice", CHOICE_REORDERED),
        conv("v-math", "Please solve: " + MATH_ITEM),
        conv("n-math-numbers", MATH_OTHER_NUMBERS),
        conv("n-math-question", MATH_OTHER_QUESTION),
        conv("n-code", CODE_OTHER_SIGNATURE),
        conv("n-choice", CHOICE_OTHER_QUESTION),
        conv("clean", "What is the capital of France?"));
  }

  /** The four items plus unrelated filler items so that idf is meaningful. */
  public static List<BenchmarkItem> items() {
    List<BenchmarkItem> out = new java.util.ArrayList<>();
    out.add(new BenchmarkItem("gsm", "m1", MATH_ITEM, List.of(MATH_ITEM), "math"));
    out.add(new BenchmarkItem("he", "c1", CODE_ITEM, List.of(CODE_ITEM), "code"));
    List<String> parts = new java.util.ArrayList<>();
    parts.add(CHOICE_QUESTION);
    parts.addAll(CHOICE_OPTIONS);
    out.add(
        new BenchmarkItem(
            "mc",
            "q1",
            CHOICE_QUESTION + "\n" + String.join("\n", CHOICE_OPTIONS),
            parts,
            "choice"));
    out.add(new BenchmarkItem("tx", "t1", TEXT_ITEM, List.of(TEXT_ITEM), "text"));
    String[] topics = {
      "train",
      "garden",
      "library",
      "orchard",
      "factory",
      "museum",
      "harbor",
      "stadium",
      "bakery",
      "school",
      "river",
      "mountain"
    };
    for (int i = 0; i < topics.length; i++) {
      String t =
          "A "
              + topics[i]
              + " has "
              + (10 + i)
              + " workers who each handle "
              + (3 + i)
              + " tasks a day. How many tasks are handled in a week at the "
              + topics[i]
              + "?";
      out.add(new BenchmarkItem("gsm", "f" + i, t, List.of(t), "math"));
    }
    return out;
  }
}
