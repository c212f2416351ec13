package io.gristmill.curation.annotate.reward;

import io.gristmill.core.record.Message;
import io.gristmill.rollout.ChatTemplate;
import io.gristmill.rollout.RewardModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores conversations with one loaded reward model, without Spark: each conversation is rendered
 * whole (the model's chat template, no generation prompt) and tokenized, and all of a batch are
 * scored by {@link RewardModel#score} (the head's output at the last non-pad token). A conversation
 * with no text, or longer than the model's context, gets no score and a reason.
 */
public final class RewardCore {
  /** No turn with text. */
  public static final String EMPTY = "empty_conversation";

  /** More tokens than the model's context. */
  public static final String TOO_LONG = "too_long";

  private final RewardModel rm;
  private final boolean useChatTemplate;
  private long tokens;

  public RewardCore(RewardModel rm, boolean useChatTemplate) {
    this.rm = rm;
    this.useChatTemplate = useChatTemplate;
  }

  /** A reward, or null and the reason. */
  public record Scored(Double reward, String reason) {}

  /** The token ids the reward model reads for {@code messages}, or null when it has no text. */
  public int[] encode(List<Message> messages) {
    List<Message> turns = new ArrayList<>();
    for (Message m : messages) {
      if (!m.content().isBlank()) {
        turns.add(m);
      }
    }
    if (turns.isEmpty()) {
      return null;
    }
    ChatTemplate chat = useChatTemplate ? rm.lm().chatTemplate().orElse(null) : null;
    if (chat != null) {
      return rm.lm().tokenizer().encode(chat.render(turns, false), false);
    }
    StringBuilder sb = new StringBuilder();
    for (Message m : turns) {
      sb.append(sb.length() == 0 ? "" : "\n").append(m.role()).append(": ").append(m.content());
    }
    return rm.lm().tokenizer().encode(sb.toString(), true);
  }

  /** Scores of {@code conversations}, in order. */
  public List<Scored> score(List<List<Message>> conversations) {
    int limit = rm.lm().config().maxSeqLen();
    List<Scored> out = new ArrayList<>(conversations.size());
    List<int[]> ids = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (List<Message> c : conversations) {
      int[] t = encode(c);
      if (t == null || t.length == 0) {
        out.add(new Scored(null, EMPTY));
      } else if (t.length > limit) {
        out.add(new Scored(null, TOO_LONG));
      } else {
        out.add(null);
        at.add(out.size() - 1);
        ids.add(t);
        tokens += t.length;
      }
    }
    if (!ids.isEmpty()) {
      float[] s = rm.score(ids);
      for (int k = 0; k < s.length; k++) {
        out.set(at.get(k), new Scored((double) s[k], null));
      }
    }
    return out;
  }

  /** Tokens scored so far. */
  public long tokens() {
    return tokens;
  }
}
