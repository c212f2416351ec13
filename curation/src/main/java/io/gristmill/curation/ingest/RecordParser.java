package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns one input record (a parsed JSON object or Parquet row) of one format into a canonical
 * conversation or a rejection. Implementations are stateless and never throw for bad input: every
 * defect becomes a {@link ParseOutcome#rejected rejection} with a reason code.
 */
public interface RecordParser {
  ParseOutcome parse(JsonNode record, RecordContext ctx);

  /** The parser for {@code format}. */
  static RecordParser forFormat(Format format) {
    return switch (format) {
      case MESSAGES -> new MessagesParser(false);
      case VERL -> new MessagesParser(true);
      case SHAREGPT -> new ShareGptParser();
      case ALPACA,
          PROMPT_COMPLETION,
          GSM8K,
          MATH,
          MATH500,
          GSM_HARD,
          AIME24,
          AMC23,
          OLYMPIADBENCH,
          MINERVA_MATH ->
          new InstructionParser(format);
      case TURNS -> new TurnsParser();
      case HISTORY -> new HistoryParser();
      case HH -> new HhParser();
    };
  }
}
