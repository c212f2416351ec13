package io.gristmill.bridge.shard;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * Copies Spark {@link InternalRow}s into the vectors of one {@link VectorSchemaRoot}, column by
 * column, without boxing. Row ordinal {@code i} feeds the root's field {@code i}. Supported Arrow
 * types: utf8, int8/32/64, float32/64, lists of int8/int32/float32 and lists of {@code struct<role,
 * content>} (the shard schemas).
 */
final class ArrowRowAppender {
  private interface Column {
    void append(InternalRow row, int ordinal, int index);
  }

  private final List<Column> columns = new ArrayList<>();

  ArrowRowAppender(VectorSchemaRoot root) {
    for (FieldVector v : root.getFieldVectors()) {
      columns.add(column(v));
    }
  }

  /** Writes {@code row} at position {@code index} of every vector (growing buffers as needed). */
  void append(InternalRow row, int index) {
    for (int c = 0; c < columns.size(); c++) {
      columns.get(c).append(row, c, index);
    }
  }

  private static Column column(FieldVector v) {
    if (v instanceof VarCharVector s) {
      return (r, o, i) -> {
        if (r.isNullAt(o)) {
          s.setNull(i);
        } else {
          s.setSafe(i, r.getUTF8String(o).getBytes());
        }
      };
    }
    if (v instanceof IntVector x) {
      return (r, o, i) -> {
        if (r.isNullAt(o)) {
          x.setNull(i);
        } else {
          x.setSafe(i, r.getInt(o));
        }
      };
    }
    if (v instanceof BigIntVector x) {
      return (r, o, i) -> {
        if (r.isNullAt(o)) {
          x.setNull(i);
        } else {
          x.setSafe(i, r.getLong(o));
        }
      };
    }
    if (v instanceof TinyIntVector x) {
      return (r, o, i) -> {
        if (r.isNullAt(o)) {
          x.setNull(i);
        } else {
          x.setSafe(i, r.getByte(o));
        }
      };
    }
    if (v instanceof Float4Vector x) {
      return (r, o, i) -> {
        if (r.isNullAt(o)) {
          x.setNull(i);
        } else {
          x.setSafe(i, r.getFloat(o));
        }
      };
    }
    if (v instanceof Float8Vector x) {
      return (r, o, i) -> {
        if (r.isNullAt(o)) {
          x.setNull(i);
        } else {
          x.setSafe(i, r.getDouble(o));
        }
      };
    }
    if (v instanceof ListVector l) {
      return listColumn(l);
    }
    throw new IllegalArgumentException(
        "Cannot write column " + v.getName() + ": unsupported Arrow type " + v.getField());
  }

  private static Column listColumn(ListVector l) {
    FieldVector child = l.getDataVector();
    if (child instanceof IntVector x) {
      return (r, o, i) -> {
        ArrayData a = r.getArray(o);
        int n = a.numElements();
        int start = l.startNewValue(i);
        for (int k = 0; k < n; k++) {
          x.setSafe(start + k, a.getInt(k));
        }
        l.endValue(i, n);
      };
    }
    if (child instanceof TinyIntVector x) {
      return (r, o, i) -> {
        ArrayData a = r.getArray(o);
        int n = a.numElements();
        int start = l.startNewValue(i);
        for (int k = 0; k < n; k++) {
          x.setSafe(start + k, a.getByte(k));
        }
        l.endValue(i, n);
      };
    }
    if (child instanceof Float4Vector x) {
      return (r, o, i) -> {
        ArrayData a = r.getArray(o);
        int n = a.numElements();
        int start = l.startNewValue(i);
        for (int k = 0; k < n; k++) {
          x.setSafe(start + k, a.getFloat(k));
        }
        l.endValue(i, n);
      };
    }
    if (child instanceof org.apache.arrow.vector.complex.StructVector st) {
      VarCharVector role = (VarCharVector) st.getChildByOrdinal(0);
      VarCharVector content = (VarCharVector) st.getChildByOrdinal(1);
      return (r, o, i) -> {
        ArrayData a = r.getArray(o);
        int n = a.numElements();
        int start = l.startNewValue(i);
        for (int k = 0; k < n; k++) {
          InternalRow m = a.getStruct(k, 2);
          st.setIndexDefined(start + k);
          role.setSafe(start + k, m.getUTF8String(0).getBytes());
          content.setSafe(start + k, m.getUTF8String(1).getBytes());
        }
        l.endValue(i, n);
      };
    }
    throw new IllegalArgumentException(
        "Cannot write list column " + l.getName() + ": unsupported element " + child.getField());
  }
}
