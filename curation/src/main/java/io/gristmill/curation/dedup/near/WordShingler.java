package io.gristmill.curation.dedup.near;

import io.gristmill.core.text.TextNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Word n-gram shingles of {@link TextNormalizer} output, as 64-bit xxHash values. Words are maximal
 * runs of letters and digits; everything else (punctuation, spaces) separates words, so "Hello,
 * world!" and "hello world" shingle alike. Thread-safe and stateless.
 */
public final class WordShingler {
  private static final XXHash64 XX = XXHashFactory.fastestJavaInstance().hash64();
  private static final long TOKEN_SEED = 0x9E3779B97F4A7C15L;

  private WordShingler() {}

  /** The words of a text after normalization, in order. */
  public static List<String> words(String text) {
    if (text != null && isAscii(text)) {
      return asciiWords(text);
    }
    return normalizedWords(text);
  }

  /**
   * {@link #words} through {@link TextNormalizer#fold} (the normalizer without its whitespace step,
   * which cannot change where words start and end); the reference for the ASCII fast path.
   */
  static List<String> normalizedWords(String text) {
    String s = TextNormalizer.fold(text);
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < s.length(); i++) {
      boolean w = Character.isLetterOrDigit(s.charAt(i));
      if (w && start < 0) {
        start = i;
      } else if (!w && start >= 0) {
        out.add(s.substring(start, i));
        start = -1;
      }
    }
    if (start >= 0) {
      out.add(s.substring(start));
    }
    return out;
  }

  /**
   * Words of an ASCII text without the Unicode normalizer: for ASCII, NFKC is the identity, case
   * folding is lower-casing and whitespace only separates words, so the result equals {@link
   * #normalizedWords} (tested) at a fraction of the cost.
   */
  static List<String> asciiWords(String s) {
    List<String> out = new ArrayList<>();
    int n = s.length();
    int i = 0;
    while (i < n) {
      while (i < n && !isAsciiAlnum(s.charAt(i))) {
        i++;
      }
      int start = i;
      boolean upper = false;
      while (i < n && isAsciiAlnum(s.charAt(i))) {
        upper |= s.charAt(i) <= 'Z' && s.charAt(i) >= 'A';
        i++;
      }
      if (i > start) {
        String w = s.substring(start, i);
        out.add(upper ? w.toLowerCase(Locale.ROOT) : w);
      }
    }
    return out;
  }

  private static boolean isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * The sorted distinct hashes of the word n-grams of {@code text}, and its word count. A text with
   * at least one word but fewer than {@code n} gives one shingle of all its words; an empty text
   * gives none.
   */
  public static Shingles shingles(String text, int n, long seed) {
    if (text != null && isAscii(text)) {
      return asciiShingles(text, n, seed);
    }
    return shingles(words(text), n, seed);
  }

  /** As {@link #shingles(String, int, long)} on already split words. */
  public static Shingles shingles(List<String> words, int n, long seed) {
    long[] wordHashes = new long[words.size()];
    for (int i = 0; i < wordHashes.length; i++) {
      byte[] b = words.get(i).getBytes(StandardCharsets.UTF_8);
      wordHashes[i] = XX.hash(b, 0, b.length, TOKEN_SEED);
    }
    return fromWordHashes(wordHashes, wordHashes.length, n, seed);
  }

  /**
   * {@link #shingles(String, int, long)} of an ASCII text without a String per word: each word is
   * lower-cased into one reused buffer and hashed there, which gives the same hashes as {@link
   * #asciiWords} then {@link #shingles(List, int, long)} (tested).
   */
  static Shingles asciiShingles(String s, int n, long seed) {
    int len = s.length();
    byte[] word = new byte[len];
    long[] wordHashes = new long[len / 2 + 1];
    int t = 0;
    int i = 0;
    while (i < len) {
      while (i < len && !isAsciiAlnum(s.charAt(i))) {
        i++;
      }
      int k = 0;
      while (i < len && isAsciiAlnum(s.charAt(i))) {
        char c = s.charAt(i++);
        word[k++] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
      }
      if (k > 0) {
        wordHashes[t++] = XX.hash(word, 0, k, TOKEN_SEED);
      }
    }
    return fromWordHashes(wordHashes, t, n, seed);
  }

  /** Shingles from the hashes of the first {@code t} words. */
  private static Shingles fromWordHashes(long[] wordHashes, int t, int n, long seed) {
    if (t == 0) {
      return new Shingles(0, new long[0]);
    }
    byte[] packed = new byte[t * 8];
    for (int i = 0; i < t; i++) {
      putLong(packed, i * 8, wordHashes[i]);
    }
    int width = Math.min(n, t);
    int count = t - width + 1;
    long[] h = new long[count];
    for (int i = 0; i < count; i++) {
      h[i] = XX.hash(packed, i * 8, width * 8, seed);
    }
    Arrays.sort(h);
    int d = 0;
    for (int i = 0; i < h.length; i++) {
      if (i == 0 || h[i] != h[i - 1]) {
        h[d++] = h[i];
      }
    }
    return new Shingles(t, d == h.length ? h : Arrays.copyOf(h, d));
  }

  /** xxHash64 of a byte range; exposed so band keys use the same hash family. */
  static long hash(byte[] bytes, int off, int len, long seed) {
    return XX.hash(bytes, off, len, seed);
  }

  static void putLong(byte[] b, int off, long v) {
    for (int k = 0; k < 8; k++) {
      b[off + k] = (byte) (v >>> (8 * k));
    }
  }

  /**
   * @param words number of words in the text
   * @param hashes sorted distinct shingle hashes
   */
  public record Shingles(int words, long[] hashes) {}
}
