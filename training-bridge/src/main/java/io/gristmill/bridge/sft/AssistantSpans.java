package io.gristmill.bridge.sft;

import io.gristmill.core.record.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a conversation's chat-template rendering into pieces that are trained (the assistant
 * turns) or context (everything else), by rendering prefixes of the conversation: for each
 * assistant turn {@code i}, the text from the end of {@code render(messages[:i],
 * add_generation_prompt=true)} to the end of {@code render(messages[:i+1])} is that turn as the
 * template writes it (its content and end-of-turn tokens; the role header is the generation prompt
 * and stays context). Works for any template whose prefix renderings are prefixes of the full
 * rendering; others fail with {@link NotPrefixStable}.
 */
public final class AssistantSpans {
  private AssistantSpans() {}

  /** The template as a function, so this class needs no Jinja engine. */
  @FunctionalInterface
  public interface Renderer {
    String render(List<Message> messages, boolean addGenerationPrompt);
  }

  /** One piece of the rendering. */
  public record Piece(String text, boolean trained) {}

  /** A template whose prefix renderings are not prefixes of the full rendering. */
  public static final class NotPrefixStable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotPrefixStable(String message) {
      super(message);
    }
  }

  /**
   * The pieces of {@code render(messages, false)}, in order; their texts concatenate to it.
   *
   * @throws NotPrefixStable when an assistant turn cannot be located
   */
  public static List<Piece> split(List<Message> messages, Renderer template) {
    String full = template.render(messages, false);
    List<Piece> out = new ArrayList<>();
    int cursor = 0;
    for (int i = 0; i < messages.size(); i++) {
      if (!Message.ASSISTANT.equals(messages.get(i).role())) {
        continue;
      }
      String through = template.render(messages.subList(0, i + 1), false);
      if (!full.startsWith(through)) {
        throw new NotPrefixStable(
            "the rendering of turns 1.." + (i + 1) + " is not a prefix of the whole rendering");
      }
      String before = template.render(messages.subList(0, i), true);
      int start;
      if (through.startsWith(before)) {
        start = before.length();
      } else {
        // Templates whose generation prompt differs from the header they write for a turn.
        String plain = template.render(messages.subList(0, i), false);
        if (!through.startsWith(plain)) {
          throw new NotPrefixStable(
              "the rendering of turns 1.." + i + " is not a prefix of that of turns 1.." + (i + 1));
        }
        start = plain.length();
      }
      if (start < cursor) {
        throw new NotPrefixStable("assistant turn " + (i + 1) + " overlaps the previous one");
      }
      add(out, full.substring(cursor, start), false);
      add(out, full.substring(start, through.length()), true);
      cursor = through.length();
    }
    add(out, full.substring(cursor), false);
    return out;
  }

  private static void add(List<Piece> out, String text, boolean trained) {
    if (!text.isEmpty()) {
      out.add(new Piece(text, trained));
    }
  }
}
