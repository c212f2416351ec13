package io.gristmill.rollout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The seed of one sample's random stream: the first 8 bytes of SHA-256 over (prompt id, sample
 * index, run seed). It depends on nothing else, so a rerun, a retried task or a different batch
 * size draws the same stream for the same sample.
 */
public final class SampleSeeds {
  private SampleSeeds() {}

  public static long of(String promptId, int sampleIndex, long runSeed) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(promptId.getBytes(StandardCharsets.UTF_8));
      d.update(ByteBuffer.allocate(13).put((byte) 0).putInt(sampleIndex).putLong(runSeed).array());
      return ByteBuffer.wrap(d.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
