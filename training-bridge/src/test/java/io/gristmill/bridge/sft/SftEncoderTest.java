package io.gristmill.bridge.sft;

import static org.assertj.core.api.Assertions.assertThat;

import io.gristmill.core.record.Message;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

class SftEncoderTest {
  static String tokenizer() throws Exception {
    return Paths.get(SftEncoderTest.class.getResource("/fixtures/tokenizer.json").toURI())
        .toString();
  }

  @Test
  void lossMaskCoversOnlyAssistantContentAndItsEndTag() throws Exception {
    SftEncoder e = SftEncoder.forPath(tokenizer());
    SftEncoder.Encoded enc =
        e.encode(List.of(Message.user("What is two plus two?"), Message.assistant("It is four.")));
    assertThat(enc.ids()).containsExactly(2, 6, 7, 8, 9, 8, 10, 5, 3, 11, 7, 12, 13, 5);
    assertThat(enc.mask()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
    assertThat(enc.trainable()).isEqualTo(5);
    assertThat(enc.truncate(9).trainable()).isZero();
    assertThat(SftEncoder.forPath(tokenizer())).isSameAs(e);
  }

  @Test
  void systemAndUserTurnsAreNeverTrained() throws Exception {
    SftEncoder.Encoded enc =
        SftEncoder.forPath(tokenizer())
            .encode(List.of(Message.system("you are fine"), Message.user("hello")));
    assertThat(enc.trainable()).isZero();
    assertThat(enc.ids()).startsWith(1, 19, 18, 20, 5, 2, 14, 5);
  }
}
