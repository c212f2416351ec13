package io.gristmill.curation.ingest;

import io.gristmill.core.record.Message;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Canonical roles and the order rules every ingested conversation must follow. Aliases: {@code
 * developer} (the name OpenAI's chat format now gives the system role) to system; {@code human},
 * {@code prompter} to user; {@code gpt}, {@code bot}, {@code model}, {@code function_call} (a tool
 * call the assistant makes) to assistant; {@code function}, {@code observation}, {@code ipython} (a
 * tool's answer) to tool.
 */
final class Roles {
  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("system", Message.SYSTEM),
          Map.entry("developer", Message.SYSTEM),
          Map.entry("user", Message.USER),
          Map.entry("human", Message.USER),
          Map.entry("prompter", Message.USER),
          Map.entry("assistant", Message.ASSISTANT),
          Map.entry("gpt", Message.ASSISTANT),
          Map.entry("bot", Message.ASSISTANT),
          Map.entry("model", Message.ASSISTANT),
          Map.entry("function_call", Message.ASSISTANT),
          Map.entry("tool", Message.TOOL),
          Map.entry("function", Message.TOOL),
          Map.entry("observation", Message.TOOL),
          Map.entry("ipython", Message.TOOL));

  private Roles() {}

  /** The canonical role for {@code raw} (case-insensitive), or null when it is unknown. */
  static String canonical(String raw) {
    return raw == null ? null : ALIASES.get(raw.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * The first order violation, or null when the order is valid. Valid: system turns only at the
   * start; then a user turn; a user turn is followed by an assistant turn; an assistant turn by a
   * user or tool turn; a tool turn by a tool or assistant turn. When {@code userRunsAllowed} (a
   * prompt-only record without answers), consecutive user turns are allowed too.
   */
  static String orderViolation(List<Message> messages, boolean userRunsAllowed) {
    String prev = null;
    for (int i = 0; i < messages.size(); i++) {
      String role = messages.get(i).role();
      boolean ok =
          switch (role) {
            case Message.SYSTEM -> prev == null || prev.equals(Message.SYSTEM);
            case Message.USER ->
                prev == null
                    || prev.equals(Message.SYSTEM)
                    || prev.equals(Message.ASSISTANT)
                    || (userRunsAllowed && prev.equals(Message.USER));
            case Message.ASSISTANT ->
                prev != null && (prev.equals(Message.USER) || prev.equals(Message.TOOL));
            default ->
                prev != null && (prev.equals(Message.ASSISTANT) || prev.equals(Message.TOOL));
          };
      if (!ok) {
        return String.format(
            Locale.ROOT,
            "turn %d is %s after %s",
            i + 1,
            role,
            prev == null ? "the start of the conversation" : prev);
      }
      prev = role;
    }
    return null;
  }
}
