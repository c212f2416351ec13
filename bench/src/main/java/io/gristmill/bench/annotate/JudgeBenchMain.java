package io.gristmill.bench.annotate;

import ai.djl.Device;
import io.gristmill.core.record.Message;
import io.gristmill.curation.annotate.judge.JudgeAspect;
import io.gristmill.curation.annotate.judge.JudgeConfig;
import io.gristmill.curation.annotate.judge.JudgeCore;
import io.gristmill.curation.annotate.judge.JudgePrompts;
import io.gristmill.curation.annotate.reward.RewardCore;
import io.gristmill.rollout.CausalLm;
import io.gristmill.rollout.RewardModel;
import io.gristmill.rollout.checkpoint.TinyArchitectures;
import io.gristmill.rollout.checkpoint.TinyCheckpointSpec;
import io.gristmill.rollout.checkpoint.TinyCheckpointWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judge and reward-model throughput on the CPU engine, without Spark (the cores the stages run in
 * each task): judge questions per second and tokens per second (prompt tokens prefilled, new tokens
 * generated) for a project-written tiny checkpoint and, when given, another checkpoint (e.g. {@code
 * ../shared/data/models/stories260K}, which has no chat template); then reward-model conversations
 * per second with the tiny {@code llama3-rm}. One warm-up pass, then a timed pass.
 *
 * <p>Run from the repository root: {@code bench/run.sh annotate.JudgeBenchMain [conversations=64]
 * [max_new_tokens=32] [batch_size=16] [threads=1] [extra-model]}.
 */
public final class JudgeBenchMain {
  private JudgeBenchMain() {}

  private static final String[] ASKS = {
    "How do I reverse a list in Python without copying it?",
    "Write a short poem about the sea at night.",
    "What is the derivative of x^3 + 2x?",
    "Plan a three-day trip to Lisbon on a budget.",
    "Summarise the causes of the French Revolution in five sentences.",
    "Give me ten names for a coffee shop.",
    "My code throws a NullPointerException when the map is empty; why?",
    "Pretend you are a pirate and greet me."
  };

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int maxNew = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    String extra = args.length > 4 ? args[4] : null;
    CausalLm.setThreads(threads);
    List<JudgeCore.Item> items = new ArrayList<>();
    List<List<Message>> convs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Message> ms =
          List.of(
              Message.user(ASKS[i % ASKS.length] + " (case " + i + ")"),
              new Message("assistant", "Here is an answer to case " + i + ", step by step."));
      items.add(new JudgeCore.Item("c" + i, ms));
      convs.add(ms);
    }
    Path tmp = Files.createTempDirectory("judge-bench");
    Path tiny = tmp.resolve("tiny-judge");
    TinyCheckpointWriter.write(
        tiny,
        new TinyCheckpointSpec(
            null, null, null, null, null, null, 4096, 7L, "float32", null, null));
    System.out.printf(
        Locale.ROOT,
        "judge bench: %d conversations, aspects input_quality+difficulty, max_new_tokens %d,"
            + " batch %d, %d thread(s), greedy%n",
        n,
        maxNew,
        batch,
        threads);
    judge("tiny llama (project-written, 4096 ctx)", tiny, items, maxNew, batch, 4000);
    if (extra != null) {
      // stories260K has a 512-token context: the template alone is ~400 of its tokens
      judge(extra, Path.of(extra), items, maxNew, batch, 200);
    }
    Path rmDir = tmp.resolve("rm");
    TinyArchitectures.write(rmDir, "llama3-rm");
    try (RewardModel rm = RewardModel.load(rmDir, Device.cpu())) {
      RewardCore core = new RewardCore(rm, true);
      core.score(convs); // warm-up
      long t0 = System.nanoTime();
      long tok0 = core.tokens();
      List<RewardCore.Scored> s = core.score(convs);
      double secs = (System.nanoTime() - t0) / 1e9;
      long scored = s.stream().filter(x -> x.reward() != null).count();
      System.out.printf(
          Locale.ROOT,
          "reward model (tiny llama3-rm): %d conversations scored in %.3f s: %.1f conversations/s,"
              + " %.0f tokens/s%n",
          scored,
          secs,
          scored / secs,
          (core.tokens() - tok0) / secs);
    }
  }

  private static void judge(
      String name, Path model, List<JudgeCore.Item> items, int maxNew, int batch, int maxChars) {
    JudgeConfig cfg =
        new JudgeConfig(
            null,
            model.toString(),
            "cpu",
            "float32",
            batch,
            maxNew,
            List.of("input_quality", "difficulty"),
            "conf/annotation",
            maxChars,
            null,
            null,
            null,
            null,
            null);
    JudgePrompts prompts = JudgePrompts.load(cfg);
    try (CausalLm lm = CausalLm.load(model, Device.cpu(), "float32")) {
      new JudgeCore(lm, cfg, prompts).judge(items.subList(0, Math.min(8, items.size())));
      JudgeCore core = new JudgeCore(lm, cfg, prompts);
      long t0 = System.nanoTime();
      List<Map<JudgeAspect, JudgeCore.Verdict>> v = core.judge(items);
      double secs = (System.nanoTime() - t0) / 1e9;
      long labeled =
          v.stream().flatMap(m -> m.values().stream()).filter(x -> x.label() != null).count();
      System.out.printf(
          Locale.ROOT,
          "judge %s: %d questions in %.2f s: %.2f questions/s; %d prompt tokens (%.0f/s), %d new"
              + " tokens (%.0f/s); %d labels parsed%n",
          name,
          core.questions(),
          secs,
          core.questions() / secs,
          core.promptTokens(),
          core.promptTokens() / secs,
          core.newTokens(),
          core.newTokens() / secs,
          labeled);
    }
  }
}
