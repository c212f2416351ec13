package io.gristmill.bridge.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gristmill.bridge.shard.ShardFixtures;
import io.gristmill.core.testing.SharedData;
import io.gristmill.core.testing.SparkTestBase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the Python package's pytest suite where pyarrow is installed, including a test that reads
 * Java-written shards (uncompressed, LZ4 and ZSTD buffers) and must return the Java reader's order
 * for several ranks and seeds.
 */
class JavaShardsPythonReaderTest extends SparkTestBase {
  @TempDir Path tmp;

  static boolean pyarrowInstalled() {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", "import pyarrow, pytest")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "lz4", "zstd"})
  void pythonReaderReturnsTheJavaOrderOnJavaShards(String compression) throws Exception {
    assumeTrue(
        pyarrowInstalled(),
        "SKIPPED: python3 with pyarrow and pytest is not installed here; the Python reader's"
            + " tests run where `python3 -c \"import pyarrow, pytest\"` works");
    Path dir = tmp.resolve("shards");
    ShardFixtures.writeSft(spark, dir, 61, 4, 3, 5, compression);
    ObjectMapper om = new ObjectMapper();
    ObjectNode expected = om.createObjectNode();
    expected.put("rows", 61);
    ArrayNode cases = expected.putArray("cases");
    try (ShardDataset ds = ShardDataset.open(dir, true)) {
      for (ReaderOptions o :
          new ReaderOptions[] {
            new ReaderOptions(0, 1, 0, false, 0, 8),
            new ReaderOptions(2, 3, 11, true, 0, 4),
            new ReaderOptions(5, 8, -3, true, 6, 2),
            new ReaderOptions(1, 2, 99, true, 16, 7)
          }) {
        ObjectNode c = cases.addObject();
        ObjectNode on = c.putObject("options");
        on.put("rank", o.rank());
        on.put("world_size", o.worldSize());
        on.put("seed", o.seed());
        on.put("shuffle", o.shuffle());
        on.put("shuffle_window", o.shuffleWindow());
        on.put("batch_size", o.batchSize());
        c.put("epoch", 4);
        ArrayNode ids = c.putArray("ids");
        ShardReaderPropertyTest.read(ds, o, ReaderState.start(4), null).forEach(ids::add);
      }
    }
    Path expectedFile = tmp.resolve("expected.json");
    om.writeValue(expectedFile.toFile(), expected);
    Path py = SharedData.repoDir().resolve("training-bridge/python");
    File log = tmp.resolve("pytest.log").toFile();
    ProcessBuilder pb =
        new ProcessBuilder("python3", "-m", "pytest", "-q", "tests")
            .directory(py.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log);
    pb.environment().put("GRISTMILL_SHARD_DIR", dir.toString());
    pb.environment().put("GRISTMILL_EXPECTED_ORDER", expectedFile.toString());
    Process p = pb.start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("passed");
  }
}
