package io.gristmill.curation.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotateSparkStageTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("messages", SparkSchemas.MESSAGES, false);

  private static Row conv(String id, String... turns) {
    List<Row> ms = new ArrayList<>();
    for (int i = 0; i < turns.length; i++) {
      ms.add(RowFactory.create(i % 2 == 0 ? "user" : "assistant", turns[i]));
    }
    return RowFactory.create(id, "s", scala.jdk.javaapi.CollectionConverters.asScala(ms).toSeq());
  }

  private Dataset<Row> fixture() {
    return spark.createDataFrame(
        List.of(
            conv("a", "What is 2 + 2 = ?", "2 + 2 = 4"),
            conv(
                "b",
                "Schreibe bitte ein kurzes Gedicht über den Herbst und die Blätter.",
                "Die Blätter fallen leise."),
            conv("c", "Fix this:", "```python\nprint(1)\n```"),
            conv("d")),
        SCHEMA);
  }

  @Test
  void stageAddsEveryColumnAndRejectsNothing() {
    AnnotateConfig cfg =
        new AnnotateConfig(
            null, List.of("en", "de", "fr"), null, null, null, null, null, null, null);
    StageOutput out = new AnnotateSparkStage(cfg).apply(fixture(), StageContext.of(spark, null));
    assertEquals(4, out.report().rowsIn());
    assertEquals(4, out.report().kept());
    assertEquals(0, out.rejected().count());
    assertTrue(List.of(out.kept().columns()).containsAll(AnnotationColumns.all()));
    Map<String, Row> byId = new TreeMap<>();
    for (Row r : out.kept().collectAsList()) {
      byId.put(r.getString(0), r);
    }
    Row b = byId.get("b");
    assertEquals("de", b.getAs(AnnotationColumns.LANGUAGE));
    Row c = byId.get("c");
    assertEquals(true, c.getAs(AnnotationColumns.HAS_CODE));
    assertEquals(List.of("python"), c.getList(c.fieldIndex(AnnotationColumns.CODE_LANGUAGES)));
    assertEquals(true, c.getAs(AnnotationColumns.INSTRUCTION_ENDS_COLON));
    assertEquals(true, byId.get("a").getAs(AnnotationColumns.HAS_MATH));
    Row d = byId.get("d");
    assertEquals(0, (int) d.getAs(AnnotationColumns.TURNS_TOTAL));
    assertNull(d.getAs(AnnotationColumns.TOKENS_USER));
    assertNull(d.getAs(AnnotationColumns.REWARD));
  }

  @Test
  void importedByIdAndByFirstUserTurnWithCounts(@TempDir Path dir) throws Exception {
    Path byId = dir.resolve("tags.jsonl");
    Files.writeString(
        byId,
        "{\"id\": \"a\", \"quality\": \"good\", \"reward\": 1.5}\n"
            + "{\"id\": \"zz\", \"quality\": \"poor\", \"reward\": 0.1}\n");
    Path byText = dir.resolve("magpie.jsonl");
    Files.writeString(
        byText,
        "{\"instruction\": \"  SCHREIBE bitte ein kurzes Gedicht über den Herbst und die Blätter. \", \"task_category\": \"Creative writing\"}\n"
            + "{\"instruction\": \"fix   THIS:\", \"task_category\": \"Coding & Debugging\"}\n"
            + "{\"instruction\": \"fix this:\", \"task_category\": \"Editing\"}\n");
    Dataset<Row> rows = AnnotateSparkStage.withNullModelColumns(fixture());
    ImportedAnnotations.Joined j =
        ImportedAnnotations.join(
            spark,
            rows,
            new ImportedAnnotationsConfig(
                byId.toString(), null, "id", null, List.of("quality:input_quality", "reward")));
    assertEquals(1, j.matched());
    assertEquals(3, j.unmatched());
    ImportedAnnotations.Joined t =
        ImportedAnnotations.join(
            spark,
            j.rows(),
            new ImportedAnnotationsConfig(
                byText.toString(), "jsonl", "first_user_turn", null, List.of("task_category")));
    assertEquals(2, t.matched());
    assertEquals(1, t.duplicateKeys(), "two spellings of 'fix this:' normalize to one key");
    Map<String, Row> out = new TreeMap<>();
    for (Row r : t.rows().collectAsList()) {
      out.put(r.getString(0), r);
    }
    assertEquals(4, out.size(), "a join never adds or drops rows");
    assertEquals("good", out.get("a").getAs("input_quality"));
    assertEquals(1.5, (double) out.get("a").getAs("reward"), 1e-12);
    assertEquals("Creative writing", out.get("b").getAs("task_category"));
    // The smaller value wins among rows with one key: "Coding & Debugging" < "Editing".
    assertEquals("Coding & Debugging", out.get("c").getAs("task_category"));
    assertNull(out.get("d").getAs("task_category"));
  }
}
