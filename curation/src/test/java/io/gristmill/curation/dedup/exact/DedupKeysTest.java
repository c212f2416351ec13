package io.gristmill.curation.dedup.exact;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class DedupKeysTest {
  @Test
  void conversationKeyIgnoresCaseWidthAndSpacingButNotRoles() {
    String a =
        DedupKeys.conversationKey(List.of(Message.user("Hello  World"), Message.assistant("Hi")));
    String b =
        DedupKeys.conversationKey(List.of(Message.user("hello world "), Message.assistant("ＨＩ")));
    String swapped =
        DedupKeys.conversationKey(List.of(Message.assistant("Hello World"), Message.user("Hi")));
    assertThat(a).isEqualTo(b).hasSize(32).isNotEqualTo(swapped);
  }

  @Test
  void promptKeyUsesOnlyTheFirstUserTurn() {
    String a =
        DedupKeys.promptKey(
            List.of(Message.system("s1"), Message.user("Q"), Message.assistant("A1")));
    String b = DedupKeys.promptKey(List.of(Message.user(" q "), Message.assistant("A2")));
    assertThat(a).isEqualTo(b);
    assertThat(DedupKeys.promptKey(List.of(Message.user("other")))).isNotEqualTo(a);
  }
}
