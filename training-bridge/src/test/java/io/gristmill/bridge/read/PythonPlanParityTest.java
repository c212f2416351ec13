package io.gristmill.bridge.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gristmill.core.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python reader's plan ({@code python/gristmill_shards/plan.py}, pure Python) gives the same
 * order as {@link ReadPlan} for every rank: the two readers are interchangeable mid-training.
 */
class PythonPlanParityTest {
  static final long[] SHARD_ROWS = {17, 40, 3, 29, 11};

  @Test
  void pythonPlanMatchesJavaPlan() throws Exception {
    Path py = SharedData.repoDir().resolve("training-bridge/python");
    assumeTrue(
        python3Works(), "SKIPPED: python3 is not on PATH; the Python plan cannot be compared");
    for (int world : new int[] {1, 3, 8}) {
      for (int rank = 0; rank < world; rank++) {
        for (boolean shuffle : new boolean[] {false, true}) {
          ReaderOptions o = new ReaderOptions(rank, world, -5, shuffle, 7, 4);
          ReadPlan plan = new ReadPlan(SHARD_ROWS, o, 3);
          List<String> expected = new ArrayList<>();
          for (long p = 0; p < plan.length(); p++) {
            long[] at = plan.locate(plan.sourcePosition(p));
            expected.add(at[0] + ":" + at[1]);
          }
          String script =
              "from gristmill_shards.plan import *\n"
                  + "o = ReaderOptions(rank=%d, world_size=%d, seed=-5, shuffle=%s,"
                  + " shuffle_window=7, batch_size=4)\n"
                  + "p = ReadPlan([17, 40, 3, 29, 11], o, 3)\n"
                  + "print(' '.join('%%d:%%d' %% p.locate(p.source_position(i))"
                  + " for i in range(p.length)))\n";
          String out =
              run(py, String.format(script, rank, world, shuffle ? "True" : "False")).trim();
          List<String> actual = out.isEmpty() ? List.of() : List.of(out.split(" "));
          assertThat(actual)
              .as("world=%d rank=%d shuffle=%s", world, rank, shuffle)
              .isEqualTo(expected);
        }
      }
    }
  }

  static boolean python3Works() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static String run(Path dir, String script) throws Exception {
    Process p =
        new ProcessBuilder("python3", "-c", script)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }
}
