package io.gristmill.curation.dedup.near;

import io.gristmill.core.record.Message;
import java.util.List;

/** Picks the text a stage compares from a conversation's turns, by the config's field name. */
public final class TextField {
  private TextField() {}

  /**
   * {@code first_user_turn}: the first user turn; {@code user_turns}: all user turns; {@code
   * conversation}: every turn. Turns are joined by a newline. Empty when nothing matches.
   */
  public static String extract(List<Message> messages, String field) {
    StringBuilder sb = new StringBuilder();
    for (Message m : messages) {
      boolean user = Message.USER.equals(m.role());
      if ("conversation".equals(field) || user) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(m.content());
        if ("first_user_turn".equals(field)) {
          break;
        }
      }
    }
    return sb.toString();
  }
}
