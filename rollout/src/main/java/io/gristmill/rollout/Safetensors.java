package io.gristmill.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, a JSON header of
 * {@code name -> {dtype, shape, data_offsets}}, then raw little-endian data). Reading widens F32,
 * F16 and BF16 to float32 on the host. Written by hand because DJL 0.36's {@code NDList.decode}
 * aborts the JVM on bf16 files (seen here on verl's checkpoint).
 */
public final class Safetensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Safetensors() {}

  /** A float32 tensor on the host. */
  public record Tensor(long[] shape, float[] data) {}

  public static Map<String, Tensor> read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > 100_000_000L) {
        throw new IOException("bad safetensors header length " + headerLen);
      }
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      readFully(ch, hb, 8);
      JsonNode header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
      long base = 8 + headerLen;
      Map<String, Tensor> out = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = header.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode t = e.getValue();
        long[] shape = new long[t.get("shape").size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = t.get("shape").get(i).asLong();
          n *= shape[i];
        }
        long begin = t.get("data_offsets").get(0).asLong();
        long end = t.get("data_offsets").get(1).asLong();
        ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, data, base + begin);
        data.flip();
        out.put(e.getKey(), new Tensor(shape, widen(t.get("dtype").asText(), data, (int) n)));
      }
      return out;
    }
  }

  private static float[] widen(String dtype, ByteBuffer b, int n) throws IOException {
    float[] f = new float[n];
    switch (dtype) {
      case "F32" -> b.asFloatBuffer().get(f);
      case "BF16" -> {
        for (int i = 0; i < n; i++) {
          f[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
        }
      }
      case "F16" -> {
        for (int i = 0; i < n; i++) {
          f[i] = halfToFloat(b.getShort());
        }
      }
      default -> throw new IOException("unsupported safetensors dtype " + dtype);
    }
    return f;
  }

  /**
   * Writes float32 tensors as {@code dtype} ({@code F32}, {@code BF16} with round-to-nearest-even,
   * or {@code F16}).
   */
  public static void write(Path file, Map<String, Tensor> tensors, String dtype)
      throws IOException {
    int width = dtype.equals("F32") ? 4 : 2;
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long off = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", dtype);
      for (long d : e.getValue().shape()) {
        t.withArray("shape").add(d);
      }
      long size = (long) e.getValue().data().length * width;
      t.putArray("data_offsets").add(off).add(off + size);
      off += size;
    }
    byte[] h = JSON.writeValueAsBytes(header);
    int pad = (8 - h.length % 8) % 8;
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      out.write(len.putLong(h.length + pad).array());
      out.write(h);
      out.write(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
      for (Tensor t : tensors.values()) {
        ByteBuffer b = ByteBuffer.allocate(t.data().length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : t.data()) {
          switch (dtype) {
            case "F32" -> b.putFloat(v);
            case "BF16" -> b.putShort(toBf16(v));
            default -> b.putShort(floatToHalf(v));
          }
        }
        out.write(b.array());
      }
    }
  }

  static short toBf16(float v) {
    int bits = Float.floatToRawIntBits(v);
    int rounding = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  static float halfToFloat(short h) {
    int s = (h >>> 15) & 1;
    int e = (h >>> 10) & 0x1f;
    int m = h & 0x3ff;
    float sign = s == 1 ? -1f : 1f;
    if (e == 0) {
      return sign * m * 0x1p-24f;
    }
    if (e == 31) {
      return m == 0 ? sign * Float.POSITIVE_INFINITY : Float.NaN;
    }
    return sign * Float.intBitsToFloat(((e - 15 + 127) << 23) | (m << 13));
  }

  static short floatToHalf(float v) {
    int bits = Float.floatToRawIntBits(v);
    int sign = (bits >>> 16) & 0x8000;
    float a = Math.abs(v);
    if (Float.isNaN(v)) {
      return (short) 0x7e00;
    }
    if (a >= 65520f) {
      return (short) (sign | 0x7c00);
    }
    if (a < 0x1p-14f) {
      return (short) (sign | Math.round(a * 0x1p24f));
    }
    int e = Math.getExponent(a);
    int m = Math.round((a / Math.scalb(1f, e) - 1f) * 1024f);
    if (m == 1024) {
      m = 0;
      e++;
    }
    return (short) (sign | ((e + 15) << 10) | m);
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position());
      if (n < 0) {
        throw new IOException("safetensors file is truncated");
      }
    }
  }
}
