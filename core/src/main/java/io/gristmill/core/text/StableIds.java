package io.gristmill.core.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable identifiers: the first 128 bits of SHA-256, as 32 hex characters. The same input gives the
 * same id on every machine, run and partitioning.
 */
public final class StableIds {
  private StableIds() {}

  /** The id of a record: a hash of its source name and its normalized content. */
  public static String recordId(String source, String normalizedContent) {
    return hash128(source + '\u0000' + normalizedContent);
  }

  /** A hash of normalized content alone, for exact dedup across sources. */
  public static String contentHash(String normalizedContent) {
    return hash128(normalizedContent);
  }

  public static String hash128(String text) {
    byte[] digest = sha256().digest(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
