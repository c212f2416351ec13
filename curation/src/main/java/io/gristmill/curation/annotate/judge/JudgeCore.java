package io.gristmill.curation.annotate.judge;

import io.gristmill.core.record.Message;
import io.gristmill.curation.annotate.JudgeOutputParser;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.ChatTemplate;
import io.gristmill.rollout.GenerationParams;
import io.gristmill.rollout.Generator;
import io.gristmill.rollout.PromptInput;
import io.gristmill.rollout.SampleResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a batch of conversations with one loaded model, without Spark: per aspect, every
 * conversation's question is encoded (chat template, prefill), all of them are generated greedily
 * in one {@link Generator} call (batched by {@code batch_size}; JSON answers stop at {@code }}),
 * and each answer is parsed by {@link JudgeAspect#parse}. Every conversation gets, per aspect,
 * either a label or a reason why not; nothing throws for a bad answer.
 */
public final class JudgeCore {
  /** No user turn (or no turn) to ask about. */
  public static final String NOTHING_TO_JUDGE = "nothing_to_judge";

  /** The question does not fit the model's context. */
  public static final String PROMPT_TOO_LONG = "prompt_too_long";

  private final CausalLm lm;
  private final JudgeConfig cfg;
  private final JudgePrompts prompts;
  private long promptTokens;
  private long newTokens;
  private long questions;

  public JudgeCore(CausalLm lm, JudgeConfig cfg, JudgePrompts prompts) {
    this.lm = lm;
    this.cfg = cfg;
    this.prompts = prompts;
  }

  /** One conversation to judge. */
  public record Item(String id, List<Message> messages) {}

  /** One aspect's outcome: a label, or null and the reason. */
  public record Verdict(String label, String reason) {
    public static Verdict of(JudgeOutputParser.Parsed p) {
      return new Verdict(p.label(), p.ok() ? null : p.reason());
    }

    public static Verdict failed(String reason) {
      return new Verdict(null, reason);
    }
  }

  /** The token ids of one question, as the judge reads them. */
  public int[] encode(String question, JudgeAspect a) {
    ChatTemplate chat = cfg.chatTemplate() ? lm.chatTemplate().orElse(null) : null;
    String text = JudgePrompts.rendered(chat, question, a);
    return lm.tokenizer().encode(text, chat == null);
  }

  /** The generation settings of aspect {@code a}. */
  public GenerationParams params(JudgeAspect a) {
    int maxNew =
        a == JudgeAspect.SAFETY
            ? Math.min(cfg.maxNewTokens(), JudgeAspect.SAFETY_MAX_NEW_TOKENS)
            : cfg.maxNewTokens();
    return GenerationParams.greedy(maxNew)
        .withBatchSize(cfg.batchSize())
        .withStopStrings(a.stopStrings());
  }

  /** Verdicts per item (in order), per configured aspect. */
  public List<Map<JudgeAspect, Verdict>> judge(List<Item> items) {
    List<Map<JudgeAspect, Verdict>> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(new EnumMap<>(JudgeAspect.class));
    }
    int limit = lm.config().maxSeqLen();
    Set<Integer> eos = new HashSet<>(lm.defaults().eosIds());
    for (JudgeAspect a : cfg.aspectList()) {
      List<PromptInput> inputs = new ArrayList<>();
      List<Integer> at = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        Item it = items.get(i);
        String q = prompts.question(a, it.messages());
        if (q == null) {
          out.get(i).put(a, Verdict.failed(NOTHING_TO_JUDGE));
          continue;
        }
        int[] ids = encode(q, a);
        if (ids.length == 0 || ids.length >= limit) {
          out.get(i).put(a, Verdict.failed(PROMPT_TOO_LONG));
          continue;
        }
        inputs.add(new PromptInput(it.id() + "#" + a.key(), ids));
        at.add(i);
        promptTokens += ids.length;
      }
      if (inputs.isEmpty()) {
        continue;
      }
      List<SampleResult> results = new Generator(lm).generate(inputs, params(a));
      questions += inputs.size();
      for (int k = 0; k < results.size(); k++) {
        SampleResult s = results.get(k);
        newTokens += s.responseTokens();
        out.get(at.get(k)).put(a, Verdict.of(a.parse(a.answer(s.text(), stoppedAtBrace(s, eos)))));
      }
    }
    return out;
  }

  /** Whether a sample ended on the stop string (not on EOS, not at the token limit). */
  static boolean stoppedAtBrace(SampleResult s, Set<Integer> eos) {
    if (!SampleResult.STOP.equals(s.finishReason()) || s.responseTokens() == 0) {
      return false;
    }
    return !eos.contains(s.responseTokenIds()[s.responseTokens() - 1]);
  }

  /** Prompt tokens of the questions generated so far. */
  public long promptTokens() {
    return promptTokens;
  }

  /** Tokens generated so far. */
  public long newTokens() {
    return newTokens;
  }

  /** Questions generated so far. */
  public long questions() {
    return questions;
  }
}
