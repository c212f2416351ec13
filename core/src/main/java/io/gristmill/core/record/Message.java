package io.gristmill.core.record;

import java.io.Serializable;
import java.util.Objects;

/**
 * One turn of a conversation. Roles are canonical: {@code system}, {@code user}, {@code assistant},
 * {@code tool}.
 */
public record Message(String role, String content) implements Serializable {
  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";
  public static final String TOOL = "tool";

  public Message {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static Message user(String content) {
    return new Message(USER, content);
  }

  public static Message assistant(String content) {
    return new Message(ASSISTANT, content);
  }

  public static Message system(String content) {
    return new Message(SYSTEM, content);
  }
}
