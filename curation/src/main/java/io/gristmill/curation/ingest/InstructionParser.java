package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Message;
import java.util.List;

/**
 * Single-turn instruction records: an instruction (plus an optional input, joined by a blank line)
 * becomes the user turn, an output the assistant turn, an optional system field a system turn.
 * Default field names per format (each can be renamed with {@code fields}):
 *
 * <ul>
 *   <li>alpaca: instruction, input, output (else response), system
 *   <li>prompt_completion: prompt, -, completion (else response), system
 *   <li>gsm8k: question, -, answer; math, math500, aime24, minerva_math: problem, -, solution
 *   <li>olympiadbench: question, -, the first of solution[]; amc23: problem; gsm_hard: input (these
 *       three are prompt-only by default: a record without a solution has no assistant turn)
 * </ul>
 *
 * Prompt-set formats also set the {@code ground_truth} column (see {@link #groundTruth}; a source's
 * {@code fields.answer} names the field to read it from verbatim instead) and {@code data_source}.
 * Other fields (MATH's level and type, MATH-500's answer, level and subject) stay in the metadata.
 */
final class InstructionParser implements RecordParser {
  private final String instruction;
  private final String input;
  private final List<String> outputs;
  private final Format format;

  InstructionParser(Format format) {
    this.format = format;
    switch (format) {
      case ALPACA -> {
        instruction = "instruction";
        input = "input";
        outputs = List.of("output", "response");
      }
      case PROMPT_COMPLETION -> {
        instruction = "prompt";
        input = null;
        outputs = List.of("completion", "response");
      }
      case GSM8K -> {
        instruction = "question";
        input = null;
        outputs = List.of("answer");
      }
      case MATH, MATH500 -> {
        instruction = "problem";
        input = null;
        outputs = List.of("solution");
      }
      case GSM_HARD -> {
        instruction = "input";
        input = null;
        outputs = List.of(); // its `code` is a Python program, kept in the metadata
      }
      case AMC23 -> {
        instruction = "problem";
        input = null;
        outputs = List.of();
      }
      case AIME24, MINERVA_MATH -> {
        instruction = "problem";
        input = null;
        outputs = List.of("solution");
      }
      case OLYMPIADBENCH -> {
        instruction = "question";
        input = null;
        outputs = List.of("/solution/0");
      }
      default -> throw new IllegalArgumentException("not an instruction format: " + format);
    }
  }

  @Override
  public ParseOutcome parse(JsonNode record, RecordContext ctx) {
    ConversationBuilder b = new ConversationBuilder(record, ctx);
    String systemField = ctx.field("system", "system");
    JsonNode system = JsonFields.get(record, systemField);
    if (system.isTextual() && !system.asText().isBlank()) {
      b.take(systemField);
      b.addText(Message.SYSTEM, system.asText(), systemField);
    }
    String instructionField = ctx.field("instruction", instruction);
    JsonNode instr = b.take(instructionField);
    if (instr.isMissingNode()) {
      return b.reject(IngestReason.MISSING_FIELD, "no '" + instructionField + "' field");
    }
    if (!instr.isTextual()) {
      return b.reject(
          IngestReason.NON_STRING_CONTENT, "'" + instructionField + "' is not a string");
    }
    String user = instr.asText();
    String inputField = ctx.field("input", input);
    JsonNode in = inputField == null ? null : b.take(inputField);
    if (in != null && !in.isMissingNode()) {
      if (!in.isTextual()) {
        return b.reject(IngestReason.NON_STRING_CONTENT, "'" + inputField + "' is not a string");
      }
      if (!in.asText().isBlank()) {
        user = user.isBlank() ? in.asText() : user + "\n\n" + in.asText();
      }
    }
    ParseOutcome bad = b.addText(Message.USER, user, instructionField);
    if (bad != null) {
      return bad;
    }
    String outputField = outputField(record, ctx);
    JsonNode out =
        outputField == null
            ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
            : b.take(outputField);
    b.answer(null, groundTruth(record, out.isTextual() ? out.asText() : null, ctx));
    if (out.isMissingNode()) {
      if (ctx.source().promptOnly()) {
        return b.build();
      }
      return b.reject(IngestReason.MISSING_FIELD, "no '" + outputField + "' field");
    }
    bad = b.add(Message.ASSISTANT, out, outputField);
    return bad != null ? bad : b.build();
  }

  /**
   * The reference answer of a prompt-set record, or null (chat formats, or none found): GSM8K the
   * number after {@code ####} of the answer, MATH and Minerva the last {@code \boxed{}} of the
   * solution, MATH-500 and AIME 2024 their {@code answer} (MATH-500 without one: the boxed answer),
   * AMC 2023 its numeric {@code answer} and GSM-Hard its {@code target} (without a trailing {@code
   * .0}), OlympiadBench its {@code final_answer} entries without the enclosing {@code $}.
   */
  private String groundTruth(JsonNode record, String output, RecordContext ctx) {
    String configured = ctx.source().fields().get("answer");
    if (configured != null) {
      return joined(JsonFields.get(record, configured), false);
    }
    return switch (format) {
      case GSM8K -> GroundTruth.gsm8k(output);
      case MATH, MINERVA_MATH -> GroundTruth.lastBoxed(output);
      case MATH500 -> {
        String a = JsonFields.text(JsonFields.get(record, "answer"));
        yield a != null ? a : GroundTruth.lastBoxed(output);
      }
      case GSM_HARD -> GroundTruth.number(JsonFields.get(record, "target"));
      case AIME24 -> JsonFields.text(JsonFields.get(record, "answer"));
      case AMC23 -> GroundTruth.number(JsonFields.get(record, "answer"));
      case OLYMPIADBENCH -> joined(JsonFields.get(record, "final_answer"), true);
      default -> null;
    };
  }

  /**
   * A list of answers as one text, joined by ", " (each without enclosing {@code $} when {@code
   * math}); a scalar as its text.
   */
  private static String joined(JsonNode n, boolean math) {
    if (!n.isArray()) {
      return JsonFields.text(n);
    }
    List<String> parts = new java.util.ArrayList<>();
    for (JsonNode x : n) {
      String t = JsonFields.text(x);
      if (t != null) {
        parts.add(math ? GroundTruth.stripDollars(t) : t);
      }
    }
    return parts.isEmpty() ? null : String.join(", ", parts);
  }

  private String outputField(JsonNode record, RecordContext ctx) {
    String configured = ctx.source().fields().get("output");
    if (configured != null) {
      return configured;
    }
    for (String f : outputs) {
      if (!JsonFields.get(record, f).isMissingNode()) {
        return f;
      }
    }
    return outputs.isEmpty() ? null : outputs.get(0);
  }
}
