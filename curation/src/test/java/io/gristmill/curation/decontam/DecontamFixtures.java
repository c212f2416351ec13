package io.gristmill.curation.decontam;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The benchmark fixture files under src/test/resources/decontam. */
final class DecontamFixtures {
  private DecontamFixtures() {}

  static String path(String name) {
    try {
      return Path.of(DecontamFixtures.class.getResource("/decontam/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<BenchmarkSpec> specs() {
    return List.of(
        new BenchmarkSpec("bench_a", path("bench_a.jsonl"), null, List.of("question"), "qid"),
        new BenchmarkSpec("bench_b", path("bench_b.csv"), null, List.of("question"), null),
        new BenchmarkSpec("bench_c", path("bench_c.json"), null, List.of("turns"), "name"));
  }

  /** 8-grams so the fixture items are short; boilerplate shared by more than one item dropped. */
  static DecontaminationConfig config(String policy) {
    return new DecontaminationConfig(null, 8, policy, null, specs(), 1, null);
  }
}
