package io.gristmill.curation.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Converts a Parquet row (parquet-hadoop's example {@link Group}) to a JSON object, so Parquet
 * records go through the same parsers as JSON ones. LIST-annotated groups become arrays (the
 * standard three-level and the legacy two-level layouts), MAP-annotated groups objects, other
 * groups nested objects; binary columns become strings; absent optional values become null.
 */
final class ParquetRows {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ParquetRows() {}

  static ObjectNode toJson(Group g) {
    return object(g, g.getType());
  }

  private static ObjectNode object(Group g, GroupType type) {
    ObjectNode o = F.objectNode();
    for (int i = 0; i < type.getFieldCount(); i++) {
      Type field = type.getType(i);
      int count = g.getFieldRepetitionCount(i);
      if (field.isRepetition(Type.Repetition.REPEATED)) {
        ArrayNode a = o.putArray(field.getName());
        for (int r = 0; r < count; r++) {
          a.add(value(g, i, r, field));
        }
      } else if (count == 0) {
        o.putNull(field.getName());
      } else {
        o.set(field.getName(), value(g, i, 0, field));
      }
    }
    return o;
  }

  private static JsonNode value(Group g, int i, int r, Type field) {
    if (field.isPrimitive()) {
      return primitive(g, i, r, field.asPrimitiveType());
    }
    Group child = g.getGroup(i, r);
    GroupType gt = field.asGroupType();
    LogicalTypeAnnotation ann = gt.getLogicalTypeAnnotation();
    if (ann instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
      return list(child, gt);
    }
    if (ann instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
      ObjectNode m = F.objectNode();
      GroupType kv = gt.getType(0).asGroupType();
      for (int k = 0; k < child.getFieldRepetitionCount(0); k++) {
        Group entry = child.getGroup(0, k);
        ObjectNode e = object(entry, kv);
        m.set(e.path("key").asText(), e.get("value"));
      }
      return m;
    }
    return object(child, gt);
  }

  private static ArrayNode list(Group listGroup, GroupType listType) {
    ArrayNode a = F.arrayNode();
    Type repeated = listType.getType(0);
    for (int k = 0; k < listGroup.getFieldRepetitionCount(0); k++) {
      boolean threeLevel = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1;
      if (threeLevel) {
        Group wrapper = listGroup.getGroup(0, k);
        Type element = repeated.asGroupType().getType(0);
        a.add(
            wrapper.getFieldRepetitionCount(0) == 0 ? F.nullNode() : value(wrapper, 0, 0, element));
      } else {
        a.add(value(listGroup, 0, k, repeated));
      }
    }
    return a;
  }

  private static JsonNode primitive(Group g, int i, int r, PrimitiveType t) {
    return switch (t.getPrimitiveTypeName()) {
      case BOOLEAN -> F.booleanNode(g.getBoolean(i, r));
      case INT32 -> F.numberNode(g.getInteger(i, r));
      case INT64 -> F.numberNode(g.getLong(i, r));
      case FLOAT -> F.numberNode(g.getFloat(i, r));
      case DOUBLE -> F.numberNode(g.getDouble(i, r));
      case BINARY -> F.textNode(g.getString(i, r));
      default -> F.textNode(g.getValueToString(i, r));
    };
  }
}
