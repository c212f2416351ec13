package io.gristmill.curation.annotate.judge;

import io.gristmill.core.Errors;
import io.gristmill.core.record.Message;
import io.gristmill.rollout.ChatTemplate;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The judge's questions: one template per aspect ({@code <aspect>.txt}, leading {@code #} lines are
 * comments), with {@code {input}} (the first user turn) and {@code {conversation}} (every turn as
 * {@code role: text}) filled in, then rendered as a user turn through the judge's chat template
 * with the answer prefilled ({@link JudgeAspect#prefill}). Pure Java; read on the driver and
 * shipped to executors with the stage.
 */
public final class JudgePrompts implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Appended where {@code judge.max_input_chars} cut the text. */
  public static final String CUT_MARK = " [...]";

  private final Map<JudgeAspect, String> templates;
  private final int maxInputChars;

  public JudgePrompts(Map<JudgeAspect, String> templates, int maxInputChars) {
    this.templates = new EnumMap<>(templates);
    this.maxInputChars = maxInputChars;
  }

  /** Reads the templates of {@code cfg.aspects()} from {@code cfg.templates()}. */
  public static JudgePrompts load(JudgeConfig cfg) {
    Map<JudgeAspect, String> t = new EnumMap<>(JudgeAspect.class);
    Path dir = Path.of(cfg.templates());
    for (JudgeAspect a : cfg.aspectList()) {
      Path f = dir.resolve(a.templateFile());
      if (!Files.isRegularFile(f)) {
        throw Errors.inputNotFound("judge template for aspect " + a.key(), f.toString());
      }
      try {
        t.put(a, stripComments(Files.readString(f, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw Errors.inputUnreadable("judge template", f.toString(), e);
      }
    }
    return new JudgePrompts(t, cfg.maxInputChars());
  }

  /** {@code text} without its leading {@code #} comment lines. */
  static String stripComments(String text) {
    String[] lines = text.split("\n", -1);
    int i = 0;
    while (i < lines.length && lines[i].startsWith("#")) {
      i++;
    }
    return String.join("\n", java.util.Arrays.asList(lines).subList(i, lines.length)).strip();
  }

  /** The template of {@code a} (fails when it was not loaded). */
  public String template(JudgeAspect a) {
    String t = templates.get(a);
    if (t == null) {
      throw Errors.invalidValue("judge.aspects", a.key(), "an aspect whose template was loaded");
    }
    return t;
  }

  /**
   * The question about one conversation, or null when it has nothing to judge (no user turn for a
   * template with {@code {input}}, no turn at all for one with {@code {conversation}}).
   */
  public String question(JudgeAspect a, List<Message> messages) {
    String t = template(a);
    String out = t;
    if (t.contains("{input}")) {
      String first = null;
      for (Message m : messages) {
        if (m.role().equals("user") && !m.content().isBlank()) {
          first = m.content();
          break;
        }
      }
      if (first == null) {
        return null;
      }
      out = out.replace("{input}", cut(first.strip()));
    }
    if (t.contains("{conversation}")) {
      StringBuilder sb = new StringBuilder();
      for (Message m : messages) {
        if (!m.content().isBlank()) {
          sb.append(sb.length() == 0 ? "" : "\n").append(m.role()).append(": ").append(m.content());
        }
      }
      if (sb.length() == 0) {
        return null;
      }
      out = out.replace("{conversation}", cut(sb.toString().strip()));
    }
    return out;
  }

  private String cut(String s) {
    if (s.length() <= maxInputChars) {
      return s;
    }
    int end = maxInputChars;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + CUT_MARK;
  }

  /**
   * The text the judge model reads: {@code question} as a user turn through {@code chat} with the
   * generation prompt, followed by the prefill; without a chat template the question, a blank line
   * and the prefill (the caller then adds BOS).
   */
  public static String rendered(ChatTemplate chat, String question, JudgeAspect a) {
    if (chat == null) {
      return question + "\n\n" + a.prefill();
    }
    return chat.render(List.of(Message.user(question)), true) + a.prefill();
  }
}
