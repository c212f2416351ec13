package io.gristmill.curation.dedup.near;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** long[] to and from little-endian bytes: how signatures and shingle sets are stored in Spark. */
public final class LongBytes {
  private LongBytes() {}

  public static byte[] toBytes(long[] v) {
    if (v == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(v);
    return b.array();
  }

  public static long[] toLongs(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    long[] v = new long[bytes.length / 8];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
    return v;
  }
}
