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
  VERL;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
