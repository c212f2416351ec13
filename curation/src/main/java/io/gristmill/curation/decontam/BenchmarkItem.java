package io.gristmill.curation.decontam;

import java.io.Serializable;
import java.util.List;

/**
 * One test item of a benchmark: its benchmark name, its id, the text that is indexed and that
 * text's parts (one per configured field value, e.g. a question and its options), and the
 * benchmark's kind ({@code math}, {@code code}, {@code choice} or {@code text}, see {@link
 * BenchmarkSpec#kind()}).
 */
public record BenchmarkItem(
    String benchmark, String item, String text, List<String> parts, String kind)
    implements Serializable {
  public BenchmarkItem {
    parts = parts == null ? List.of(text) : List.copyOf(parts);
    kind = kind == null ? "text" : kind;
  }

  /** An item of kind {@code text} whose only part is its text. */
  public BenchmarkItem(String benchmark, String item, String text) {
    this(benchmark, item, text, null, null);
  }
}
