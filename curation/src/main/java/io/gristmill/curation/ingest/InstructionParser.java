package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.gristmill.core.record.Message;
import io.gristmill.core.record.Reason;
import java.util.List;

/**
 * Single-turn instruction records: an instruction (plus an optional input, joined by a blank line)
 * becomes the user turn, an output the assistant turn, an optional system field a system turn.
 * Default field names per format (each can be renamed with {@code fields}):
 *
 * <ul>
 *   <li>alpaca: instruction, input, output (else response), system
 *   <li>prompt_completion: prompt, -, completion (else response), system
 *   <li>gsm8k: question, -, answer; math and math500: problem, -, solution
 * </ul>
 *
 * Other fields (MATH's level and type, MATH-500's answer, level and subject) stay in the metadata.
 */
final class InstructionParser implements RecordParser {
  private final String instruction;
  private final String input;
  private final List<String> outputs;

  InstructionParser(Format format) {
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
      return b.reject(Reason.MISSING_FIELD, "no '" + instructionField + "' field");
    }
    if (!instr.isTextual()) {
      return b.reject(Reason.NON_STRING_CONTENT, "'" + instructionField + "' is not a string");
    }
    String user = instr.asText();
    String inputField = ctx.field("input", input);
    JsonNode in = inputField == null ? null : b.take(inputField);
    if (in != null && !in.isMissingNode()) {
      if (!in.isTextual()) {
        return b.reject(Reason.NON_STRING_CONTENT, "'" + inputField + "' is not a string");
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
    JsonNode out = b.take(outputField);
    if (out.isMissingNode()) {
      if (ctx.source().promptOnly()) {
        return b.build();
      }
      return b.reject(Reason.MISSING_FIELD, "no '" + outputField + "' field");
    }
    bad = b.add(Message.ASSISTANT, out, outputField);
    return bad != null ? bad : b.build();
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
    return outputs.get(0);
  }
}
