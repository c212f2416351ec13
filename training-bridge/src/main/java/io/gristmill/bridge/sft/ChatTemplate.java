package io.gristmill.bridge.sft;

import io.gristmill.core.record.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * A simple role-tagged chat template: each turn is {@code <|role|>}, its content, then {@code
 * <|end|>}. Only an assistant turn's content and its {@code <|end|>} are trained (loss mask 1);
 * role tags, system, user and tool turns are context (mask 0). The rollout module's chat-template
 * renderer (a model's own {@code tokenizer_config.json} template) can replace this class later: the
 * encoder only needs the segments.
 */
public final class ChatTemplate {
  private ChatTemplate() {}

  public static final String END = "<|end|>";

  /** One piece of rendered text and whether its tokens are trained. */
  public record Segment(String text, boolean trainable) {}

  public static String roleTag(String role) {
    return "<|" + role + "|>";
  }

  public static List<Segment> render(List<Message> messages) {
    List<Segment> out = new ArrayList<>(messages.size() * 3);
    for (Message m : messages) {
      boolean train = Message.ASSISTANT.equals(m.role());
      out.add(new Segment(roleTag(m.role()), false));
      out.add(new Segment(m.content(), train));
      out.add(new Segment(END, train));
    }
    return out;
  }
}
