package io.gristmill.bridge.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.bridge.ExportReason;
import io.gristmill.core.GristmillException;
import io.gristmill.core.record.Message;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftEncoderTest {
  @TempDir static Path tmp;
  static Path model;
  static SftEncoder enc;

  @BeforeAll
  static void model() {
    model = SftFixtures.tinyModel(tmp.resolve("tiny"));
    enc = SftEncoder.forFiles(TokenizerFiles.load(SftFixtures.options(model, 4096, "skip")));
  }

  static String wordLevelFixture() throws Exception {
    return Paths.get(SftEncoderTest.class.getResource("/fixtures/tokenizer.json").toURI())
        .toString();
  }

  static SftEncoder.Encoded encoded(List<Message> messages) {
    SftEncoder.Result r = enc.encode(messages);
    assertThat(r).isInstanceOf(SftEncoder.Encoded.class);
    return (SftEncoder.Encoded) r;
  }

  @Test
  void theModelsOwnTemplateIsRenderedAndOnlyAssistantTurnsAreTrained() {
    List<Message> conv =
        List.of(
            Message.system("Be brief."),
            Message.user("What is two plus two?"),
            Message.assistant("It is four."),
            Message.user("And three plus three?"),
            Message.assistant("Six."));
    SftEncoder.Encoded e = encoded(conv);
    assertThat(enc.render(conv))
        .isEqualTo(
            "<s><|system|>\nBe brief.</s>\n<|user|>\nWhat is two plus two?</s>\n<|assistant|>\n"
                + "It is four.</s>\n<|user|>\nAnd three plus three?</s>\n<|assistant|>\nSix.</s>\n");
    assertThat(enc.decode(e.ids())).isEqualTo(enc.render(conv));
    assertThat(SftFixtures.check(enc, conv, new SftFixtures.Row(e.ids(), e.mask()))).isNull();
    List<String> trained = new ArrayList<>();
    for (int[] run : SftFixtures.runs(e.ids(), e.mask(), 1)) {
      trained.add(enc.decode(run));
    }
    assertThat(trained).containsExactly("It is four.</s>\n", "Six.</s>\n");
    // <s>, </s> are single special tokens, not spelled out byte by byte
    assertThat(e.ids()[0]).isEqualTo(1);
    assertThat(e.unknown()).isZero();
    assertThat(SftEncoder.forFiles(enc.files())).isSameAs(enc);
  }

  @Test
  void aTurnLongerThan512TokensIsNotCut() {
    // Regression: DJL's default tokenizer settings cut every text at 512 tokens without a word.
    String longAnswer = "The quick brown fox jumps over the lazy dog 0123456789. ".repeat(120);
    List<Message> conv = List.of(Message.user("Write a lot."), Message.assistant(longAnswer));
    SftEncoder.Encoded e = encoded(conv);
    assertThat(e.ids().length).isGreaterThan(2000);
    assertThat(enc.decode(e.ids())).isEqualTo(enc.render(conv)).endsWith(longAnswer + "</s>\n");
    assertThat(SftFixtures.check(enc, conv, new SftFixtures.Row(e.ids(), e.mask()))).isNull();
  }

  @Test
  void conversationsWithoutAnAssistantTurnHaveNothingToTrain() {
    SftEncoder.Encoded e = encoded(List.of(Message.system("you are fine"), Message.user("hello")));
    assertThat(e.trainable()).isZero();
    assertThat(e.truncate(3).ids()).hasSize(3);
  }

  @Test
  void builtinTemplateOnlyWhenAskedFor() throws Exception {
    Path bare = tmp.resolve("bare");
    Files.createDirectories(bare);
    Files.copy(model.resolve("tokenizer.json"), bare.resolve("tokenizer.json"));
    SftOptions modelTemplate = SftOptions.of(bare.toString(), 100, null);
    assertThatThrownBy(() -> TokenizerFiles.load(modelTemplate))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("key 'sft.chat_template' has invalid value 'model'")
        .hasMessageContaining("chat_template: builtin")
        .extracting(e -> ((GristmillException) e).kind().exitCode())
        .isEqualTo(2);
    SftOptions builtin = new SftOptions(bare.toString(), null, "builtin", null, null, null, null);
    SftEncoder b = SftEncoder.forFiles(TokenizerFiles.load(builtin));
    List<Message> conv = List.of(Message.user("Hi"), Message.assistant("Hello"));
    SftEncoder.Encoded e = (SftEncoder.Encoded) b.encode(conv);
    assertThat(b.decode(e.ids())).isEqualTo("<|user|>Hi<|end|><|assistant|>Hello<|end|>");
    List<String> trained = new ArrayList<>();
    for (int[] run : SftFixtures.runs(e.ids(), e.mask(), 1)) {
      trained.add(b.decode(run));
    }
    assertThat(trained).containsExactly("Hello<|end|>");
  }

  @Test
  void theTokenizerIsRequiredAndMustExist() {
    assertThatThrownBy(() -> TokenizerFiles.load(SftOptions.defaults()))
        .isInstanceOf(GristmillException.class)
        .hasMessage(
            "Cannot load config export config: required key 'sft.tokenizer' is missing. Add it to"
                + " the file or pass --set sft.tokenizer=VALUE.")
        .extracting(e -> ((GristmillException) e).kind().exitCode())
        .isEqualTo(2);
    assertThatThrownBy(
            () -> TokenizerFiles.load(SftOptions.of(tmp.resolve("nope").toString(), 10, null)))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("key 'sft.tokenizer' has invalid value")
        .extracting(e -> ((GristmillException) e).kind().exitCode())
        .isEqualTo(2);
  }

  @Test
  void unknownTokenOfAWordLevelTokenizerIsFound() throws Exception {
    TokenizerFiles f =
        TokenizerFiles.load(
            new SftOptions(wordLevelFixture(), null, "builtin", null, null, null, null));
    assertThat(f.unknownToken()).isNotNull();
    assertThat(f.unknownId()).isNotNegative();
    SftEncoder w = SftEncoder.forFiles(f);
    SftEncoder.Result r =
        w.encode(List.of(Message.user("zyzzyva quux"), Message.assistant("xylophone")));
    // The WordLevel fixture knows almost no word: decoding cannot give the text back.
    assertThat(r).isInstanceOf(SftEncoder.Failed.class);
    assertThat(((SftEncoder.Failed) r).reason()).isEqualTo(ExportReason.TOKENIZER_ROUND_TRIP);
    TokenizerFiles bpe = TokenizerFiles.load(SftFixtures.options(model, 10, null));
    assertThat(bpe.unknownId()).isEqualTo(-1);
    assertThat(bpe.template()).isEqualTo(TinyCheckpointWriter.CHAT_TEMPLATE);
    assertThat(bpe.bos()).isEqualTo("<s>");
    assertThat(bpe.eos()).isEqualTo("</s>");
  }

  @Test
  void assistantSpansNeedPrefixStableTemplates() {
    AssistantSpans.Renderer stable =
        (ms, gen) -> {
          StringBuilder sb = new StringBuilder("[");
          ms.forEach(m -> sb.append(m.role()).append(':').append(m.content()).append(';'));
          return sb.append(gen ? "assistant:" : "").toString();
        };
    List<Message> conv = List.of(Message.user("q"), Message.assistant("a"));
    assertThat(AssistantSpans.split(conv, stable))
        .containsExactly(
            new AssistantSpans.Piece("[user:q;assistant:", false),
            new AssistantSpans.Piece("a;", true));
    // A template that writes the last turn differently from earlier ones cannot be split.
    AssistantSpans.Renderer unstable = (ms, gen) -> ms.size() + ":" + stable.render(ms, gen);
    assertThatThrownBy(() -> AssistantSpans.split(conv, unstable))
        .isInstanceOf(AssistantSpans.NotPrefixStable.class);
  }
}
