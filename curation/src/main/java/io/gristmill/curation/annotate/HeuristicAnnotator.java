package io.gristmill.curation.annotate;

import io.gristmill.core.record.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The heuristic annotators over one conversation (no model but Lingua and, optionally, a
 * tokenizer). Pure Java: the Spark stage calls {@link #annotate} once per row.
 */
public final class HeuristicAnnotator {
  private final AnnotateConfig config;
  private final LanguageDetection language;
  private final RoleTokenCounter tokens;

  /** The values of {@link AnnotationColumns#HEURISTIC}, in that order. */
  public record Heuristics(
      int turnsTotal,
      int turnsUser,
      boolean multiTurn,
      long charsUser,
      long charsAssistant,
      Long tokensUser,
      Long tokensAssistant,
      String language,
      double languageConfidence,
      boolean hasCode,
      List<String> codeLanguages,
      boolean hasMath,
      boolean refusal,
      double dupLineFrac,
      double dupNgramFrac,
      double specialCharRatio,
      boolean instructionEndsColon,
      boolean shortResponse) {}

  public HeuristicAnnotator(AnnotateConfig config) {
    this.config = config;
    this.language =
        LanguageDetection.of(
            config.languages(), config.languageLowAccuracy(), config.languageChars());
    this.tokens = config.tokenizer() == null ? null : RoleTokenCounter.load(config.tokenizer());
  }

  public Heuristics annotate(List<Message> messages) {
    List<String> user = new ArrayList<>();
    List<String> assistant = new ArrayList<>();
    int turns = 0;
    for (Message m : messages) {
      if (m.role().equals(Message.SYSTEM)) {
        continue;
      }
      turns++;
      if (m.role().equals(Message.USER)) {
        user.add(m.content());
      } else if (m.role().equals(Message.ASSISTANT)) {
        assistant.add(m.content());
      }
    }
    String userText = String.join("\n", user);
    String assistantText = String.join("\n", assistant);
    String all = userText.isEmpty() ? assistantText : userText + "\n" + assistantText;
    Long tu = null;
    Long ta = null;
    if (tokens != null) {
      long a = 0;
      for (String s : user) {
        a += tokens.count(s);
      }
      long b = 0;
      for (String s : assistant) {
        b += tokens.count(s);
      }
      tu = a;
      ta = b;
    }
    LanguageDetection.Result lang = language.detect(userText.isBlank() ? assistantText : userText);
    Set<String> code = TextSignals.codeLanguages(all);
    String repeatText = assistantText.isEmpty() ? userText : assistantText;
    boolean shortResp = assistant.isEmpty();
    for (String a : assistant) {
      if (a.strip().length() < config.shortResponseChars()) {
        shortResp = true;
      }
    }
    String first = user.isEmpty() ? "" : user.get(0).strip();
    return new Heuristics(
        turns,
        user.size(),
        user.size() > 1,
        userText.length() - Math.max(0, user.size() - 1),
        assistantText.length() - Math.max(0, assistant.size() - 1),
        tu,
        ta,
        lang.language(),
        lang.confidence(),
        TextSignals.hasCode(all, code),
        TextSignals.ordered(code),
        TextSignals.hasMath(all),
        TextSignals.refusal(assistant),
        TextSignals.dupLineFrac(repeatText),
        TextSignals.dupNgramFrac(repeatText, config.repetitionNgram()),
        TextSignals.specialCharRatio(all),
        first.endsWith(":"),
        shortResp);
  }
}
