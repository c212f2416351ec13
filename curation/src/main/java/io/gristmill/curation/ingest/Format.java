package io.gristmill.curation.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The record layouts ingest understands; the YAML value of a source's {@code format} key. */
public enum Format {
  /** OpenAI / Tulu / SmolTalk: {@code messages: [{role, content}]}; content may be text parts. */
  @JsonProperty("messages")
  MESSAGES,
  /** ShareGPT: {@code conversations: [{from, value}]}, plus an optional {@code chosen} turn. */
  @JsonProperty("sharegpt")
  SHAREGPT,
  /** Alpaca: instruction (+ input) as the user turn, output (or response) as the answer. */
  @JsonProperty("alpaca")
  ALPACA,
  /** MT-Bench / Arena-Hard questions: {@code turns: [{content}]} or {@code turns: [str]}. */
  @JsonProperty("turns")
  TURNS,
  /** MT-Bench-101: {@code history: [{user, bot}]}. */
  @JsonProperty("history")
  HISTORY,
  /**
   * Anthropic HH: {@code \n\nHuman:} / {@code \n\nAssistant:} transcript text in {@code chosen}.
   */
  @JsonProperty("hh")
  HH,
  /** Prompt / completion pairs: T0 (completion), predictions and Tulu (response, completions). */
  @JsonProperty("prompt_completion")
  PROMPT_COMPLETION,
  /** GSM8K: question, answer. */
  @JsonProperty("gsm8k")
  GSM8K,
  /** MATH: problem, solution (level and type kept as metadata). */
  @JsonProperty("math")
  MATH,
  /** MATH-500: problem, solution (answer, level, subject kept as metadata). */
  @JsonProperty("math500")
  MATH500,
  /** verl: {@code prompt} as a chat list, {@code reward_model.ground_truth} kept as metadata. */
  @JsonProperty("verl")
  VERL,
  /** GSM-Hard: {@code input} (the question), {@code target} (a number, the reference answer). */
  @JsonProperty("gsm_hard")
  GSM_HARD,
  /**
   * AIME 2024 (Qwen2.5-Math evaluation layout): {@code problem}, {@code solution}, {@code answer}
   * (verbatim, e.g. {@code 025}).
   */
  @JsonProperty("aime24")
  AIME24,
  /** AMC 2023 (Qwen2.5-Math evaluation layout): {@code problem}, {@code answer} (a number). */
  @JsonProperty("amc23")
  AMC23,
  /**
   * OlympiadBench (Qwen2.5-Math evaluation layout): {@code question}, {@code solution} (a list; the
   * first is the assistant turn), {@code final_answer} (a list; its entries without the enclosing
   * {@code $}, joined by ", ").
   */
  @JsonProperty("olympiadbench")
  OLYMPIADBENCH,
  /**
   * Minerva OCW (Qwen2.5-Math evaluation layout): {@code problem}, {@code solution}; the reference
   * answer is the last {@code \boxed{}} of the solution.
   */
  @JsonProperty("minerva_math")
  MINERVA_MATH;

  /**
   * Whether records of this format are bare prompts (no assistant turn): the default of a source's
   * {@code prompt_only}.
   */
  public boolean promptOnlyByDefault() {
    return switch (this) {
      case VERL, GSM_HARD, AIME24, AMC23, OLYMPIADBENCH, MINERVA_MATH -> true;
      default -> false;
    };
  }

  /** Whether rows of this format are RL prompts with a reference answer (a prompt set). */
  public boolean isPromptSet() {
    return defaultDataSource() != null || this == VERL;
  }

  /**
   * The {@code data_source} a row of this format gets unless its source sets one (verl rows carry
   * their own), or null for chat formats.
   */
  public String defaultDataSource() {
    return switch (this) {
      case GSM8K -> "openai/gsm8k";
      case MATH -> "lighteval/MATH";
      case MATH500 -> "HuggingFaceH4/MATH-500";
      case GSM_HARD -> "reasoning-machines/gsm-hard";
      case AIME24 -> "aime24";
      case AMC23 -> "amc23";
      case OLYMPIADBENCH -> "olympiadbench";
      case MINERVA_MATH -> "minerva_math";
      default -> null;
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
