package io.gristmill.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Gristmill version recorded in every manifest, from the build (never null). */
public final class CodeVersion {
  private static final String VERSION = load();

  private CodeVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = CodeVersion.class.getResourceAsStream("/gristmill-version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "").trim();
        if (!v.isEmpty() && !v.startsWith("$")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through to the package version
    }
    String v = CodeVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
