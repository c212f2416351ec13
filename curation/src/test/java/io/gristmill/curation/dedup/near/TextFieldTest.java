package io.gristmill.curation.dedup.near;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextFieldTest {
  private final List<Message> conv =
      List.of(
          Message.system("sys"),
          Message.user("u1"),
          Message.assistant("a1"),
          Message.user("u2"),
          Message.assistant("a2"));

  @Test
  void picksTheConfiguredTurns() {
    assertThat(TextField.extract(conv, "first_user_turn")).isEqualTo("u1");
    assertThat(TextField.extract(conv, "user_turns")).isEqualTo("u1\nu2");
    assertThat(TextField.extract(conv, "conversation")).isEqualTo("sys\nu1\na1\nu2\na2");
    assertThat(TextField.extract(List.of(Message.assistant("x")), "first_user_turn")).isEmpty();
  }
}
