package io.gristmill.rollout;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.gristmill.core.Errors;
import io.gristmill.core.record.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code tokenizer_config.json} chat template rendered with Jinjava (HubSpot's Jinja engine for
 * the JVM, on Maven Central), configured as HF's {@code apply_chat_template} is: trim and lstrip
 * blocks on, {@code raise_exception} defined, {@code bos_token}/{@code eos_token}/{@code sep_token}
 * bound.
 */
public final class ChatTemplate {
  private static final Jinjava JINJA = newEngine();
  private final String template;
  private final String bos;
  private final String eos;
  private final String sep;

  /**
   * A renderer of {@code template} (a {@code tokenizer_config.json}'s {@code chat_template}), for
   * other modules (the SFT export renders with the same engine as rollout).
   *
   * @param bos the {@code bos_token} the template sees, or null
   * @param eos the {@code eos_token}, or null
   * @param sep the {@code sep_token}, or null
   */
  public static ChatTemplate of(String template, String bos, String eos, String sep) {
    return new ChatTemplate(template, bos, eos, sep);
  }

  ChatTemplate(String template, String bos, String eos, String sep) {
    this.template = template;
    this.bos = bos;
    this.eos = eos;
    this.sep = sep;
  }

  /**
   * Renders {@code messages}, ending with the assistant header when {@code addGenerationPrompt}.
   */
  public String render(List<Message> messages, boolean addGenerationPrompt) {
    List<Map<String, Object>> ms = new ArrayList<>();
    for (Message m : messages) {
      ms.add(Map.of("role", m.role(), "content", m.content()));
    }
    Map<String, Object> ctx = new HashMap<>();
    ctx.put("messages", ms);
    ctx.put("add_generation_prompt", addGenerationPrompt);
    ctx.put("bos_token", bos);
    ctx.put("eos_token", eos);
    ctx.put("sep_token", sep);
    RenderResult r = JINJA.renderForResult(template, ctx);
    for (TemplateError e : r.getErrors()) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw Errors.chatTemplateFailed(e.getMessage(), e.getException());
      }
    }
    return r.getOutput();
  }

  /** Called by templates as {@code raise_exception('message')}; fails the rendering. */
  public static String raiseException(String message) {
    throw new IllegalStateException(message);
  }

  private static Jinjava newEngine() {
    Jinjava j =
        new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
    j.registerFunction(
        new ELFunctionDefinition(
            "", "raise_exception", ChatTemplate.class, "raiseException", String.class));
    return j;
  }
}
