package io.gristmill.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates {@code ../shared/data} (third-party data for integration tests). Tests that need it call
 * {@link #require(String)}, which skips the test with a message saying what is missing when the
 * folder is absent, as on a fresh clone without {@code ../shared}.
 */
public final class SharedData {
  private SharedData() {}

  /** The shared folder: {@code -Dgristmill.shared.dir}, else {@code ../shared} of the repo. */
  public static Path sharedDir() {
    String prop = System.getProperty("gristmill.shared.dir");
    if (prop != null && !prop.isBlank()) {
      return Paths.get(prop).toAbsolutePath().normalize();
    }
    return repoDir().resolve("../shared").toAbsolutePath().normalize();
  }

  public static Path repoDir() {
    String prop = System.getProperty("gristmill.repo.dir");
    if (prop != null && !prop.isBlank()) {
      return Paths.get(prop).toAbsolutePath().normalize();
    }
    Path p = Paths.get("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve(".ci"))) {
      p = p.getParent();
    }
    return p == null ? Paths.get("").toAbsolutePath() : p;
  }

  /** {@code ../shared/data/<relative>}; skips the calling test if it does not exist. */
  public static Path require(String relative) {
    Path p = sharedDir().resolve("data").resolve(relative);
    assumeTrue(
        Files.exists(p),
        "SKIPPED: needs ../shared/data/"
            + relative
            + " (not found at "
            + p
            + ");"
            + " this test runs where the project's shared data folder is present, as in CI");
    return p;
  }
}
