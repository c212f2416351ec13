package io.gristmill.curation.ingest;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Locates the fixtures under {@code src/test/resources/ingest}. */
final class Fixtures {
  private Fixtures() {}

  static String path(String relative) {
    try {
      return Path.of(Fixtures.class.getResource("/ingest/" + relative).toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture ingest/" + relative, e);
    }
  }
}
