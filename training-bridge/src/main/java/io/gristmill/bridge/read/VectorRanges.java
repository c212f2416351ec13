package io.gristmill.bridge.read;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Bulk copy of a run of rows between vectors of the same type: one memory copy per buffer and run
 * instead of one call per value, which is what makes the reader fast. Handles the shard column
 * types: fixed-width values, utf8, structs of those, and lists of any of them. The target must be
 * filled from row 0 upwards without gaps (as a batch is).
 */
final class VectorRanges {
  private VectorRanges() {}

  static void copy(FieldVector src, int from, FieldVector dst, int to, int len) {
    if (len == 0) {
      return;
    }
    if (src instanceof ListVector s && dst instanceof ListVector d) {
      copyList(s, from, d, to, len);
    } else if (src instanceof StructVector s && dst instanceof StructVector d) {
      while (d.getValueCapacity() < to + len) {
        d.reAlloc();
      }
      copyValidity(s, from, d, to, len);
      for (int c = 0; c < s.size(); c++) {
        copy(
            (FieldVector) s.getChildByOrdinal(c),
            from,
            (FieldVector) d.getChildByOrdinal(c),
            to,
            len);
      }
    } else if (src instanceof BaseVariableWidthVector s
        && dst instanceof BaseVariableWidthVector d) {
      copyVariable(s, from, d, to, len);
    } else if (src instanceof BaseFixedWidthVector s && dst instanceof BaseFixedWidthVector d) {
      copyFixed(s, from, d, to, len);
    } else {
      throw new IllegalArgumentException("Cannot copy rows of column " + src.getField());
    }
  }

  private static void copyValidity(FieldVector src, int from, FieldVector dst, int to, int len) {
    ArrowBuf v = dst.getValidityBuffer();
    if (!src.getField().isNullable()) {
      setRangeToOne(v, to, len);
      return;
    }
    for (int i = 0; i < len; i++) {
      if (!src.isNull(from + i)) {
        BitVectorHelper.setBit(v, to + i);
      }
    }
  }

  private static void setRangeToOne(ArrowBuf v, int start, int len) {
    int i = start;
    int end = start + len;
    while (i < end && (i & 7) != 0) {
      BitVectorHelper.setBit(v, i++);
    }
    int fullBytes = (end - i) / 8;
    if (fullBytes > 0) {
      v.setOne((long) (i / 8), (long) fullBytes);
      i += fullBytes * 8;
    }
    while (i < end) {
      BitVectorHelper.setBit(v, i++);
    }
  }

  private static void copyFixed(
      BaseFixedWidthVector src, int from, BaseFixedWidthVector dst, int to, int len) {
    while (dst.getValueCapacity() < to + len) {
      dst.reAlloc();
    }
    long w = src.getTypeWidth();
    dst.getDataBuffer().setBytes(to * w, src.getDataBuffer(), from * w, len * w);
    copyValidity(src, from, dst, to, len);
  }

  private static void copyVariable(
      BaseVariableWidthVector src, int from, BaseVariableWidthVector dst, int to, int len) {
    while (dst.getValueCapacity() < to + len) {
      dst.reAlloc();
    }
    ArrowBuf so = src.getOffsetBuffer();
    ArrowBuf dOff = dst.getOffsetBuffer();
    int srcStart = so.getInt((long) from * 4);
    int srcEnd = so.getInt((long) (from + len) * 4);
    int dstStart = to == 0 ? 0 : dOff.getInt((long) to * 4);
    while (dst.getDataBuffer().capacity() < (long) dstStart + (srcEnd - srcStart)) {
      dst.reallocDataBuffer();
    }
    dOff = dst.getOffsetBuffer();
    int shift = dstStart - srcStart;
    for (int i = 0; i <= len; i++) {
      dOff.setInt((long) (to + i) * 4, so.getInt((long) (from + i) * 4) + shift);
    }
    dst.getDataBuffer().setBytes(dstStart, src.getDataBuffer(), srcStart, srcEnd - srcStart);
    copyValidity(src, from, dst, to, len);
    dst.setLastSet(to + len - 1);
  }

  private static void copyList(ListVector src, int from, ListVector dst, int to, int len) {
    while (dst.getValueCapacity() < to + len) {
      dst.reAlloc();
    }
    ArrowBuf so = src.getOffsetBuffer();
    int srcStart = so.getInt((long) from * 4);
    int srcEnd = so.getInt((long) (from + len) * 4);
    int dstStart = to == 0 ? 0 : dst.getOffsetBuffer().getInt((long) to * 4);
    copy(src.getDataVector(), srcStart, dst.getDataVector(), dstStart, srcEnd - srcStart);
    ArrowBuf dOff = dst.getOffsetBuffer();
    int shift = dstStart - srcStart;
    for (int i = 0; i <= len; i++) {
      dOff.setInt((long) (to + i) * 4, so.getInt((long) (from + i) * 4) + shift);
    }
    copyValidity(src, from, dst, to, len);
    dst.setLastSet(to + len - 1);
  }
}
