package io.gristmill.curation.annotate;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plain-Java classifier path gives MLlib's own predictions and probabilities. */
class TaskClassifierCoreTest extends SparkTestBase {
  private static final String[][] TRAIN = {
    {"Math", "g1", "Solve for x: 3x + 5 = 20. What is x?"},
    {"Math", "g1", "A train travels 60 miles per hour for 3 hours. How far does it go?"},
    {"Math", "g2", "What is the sum of the first 100 positive integers?"},
    {"Math", "g2", "Compute the integral of x^2 from 0 to 3."},
    {"Coding & Debugging", "c1", "Write a Python function that reverses a linked list."},
    {"Coding & Debugging", "c1", "Why does my C++ code segfault when I index the vector?"},
    {"Coding & Debugging", "c2", "Fix this JavaScript: const x = [1,2,3].mapp(x => x*2);"},
    {"Coding & Debugging", "c2", "Implement quicksort in Java with generics."},
    {"Creative writing", "w1", "Write a short poem about autumn leaves falling."},
    {"Creative writing", "w1", "Tell me a story about a dragon who is afraid of fire."},
    {"Creative writing", "w2", "Compose a haiku about the sea at night."},
    {"Creative writing", "w2", "Write a limerick about a cat who loves jazz."},
  };

  static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("messages", SparkSchemas.MESSAGES, false);

  private static PipelineModel model;

  @BeforeAll
  static void train() {
    List<Row> rows = new ArrayList<>();
    for (int rep = 0; rep < 3; rep++) {
      for (String[] t : TRAIN) {
        rows.add(RowFactory.create(t[2] + (rep == 0 ? "" : " variant " + rep), t[0], t[1]));
      }
    }
    Dataset<Row> labeled =
        spark.createDataFrame(
            rows,
            new StructType()
                .add(TaskClassifier.TEXT, DataTypes.StringType)
                .add(TaskClassifier.LABEL, DataTypes.StringType)
                .add(TaskClassifier.GROUP, DataTypes.StringType));
    ClassifierConfig cfg =
        new ClassifierConfig("(test)", List.of(), 0.0, 17L, 1 << 12, 30, 0.01, 100);
    model = TaskClassifier.trainOn(labeled, cfg).model();
  }

  /** Texts the tokenizer, the head cut and the hashing must all get right. */
  static List<String> probes() {
    List<String> p = new ArrayList<>();
    for (String[] t : TRAIN) {
      p.add(t[2]);
    }
    p.add("WRITE A PYTHON FUNCTION, please!!! __init__ #include c++ x+y");
    p.add("Schreibe ein Gedicht über Äpfel und Straßen; ÇA VA? İstanbul");
    p.add("数学: 求 3 + 5 的和。 😀 emoji 🚀 rocket code");
    p.add("");
    p.add("   ...   ");
    // Past 600 code points, with surrogate pairs before the cut so chars and code points differ.
    p.add("😀".repeat(300) + " poem ".repeat(80) + " python function integral");
    p.add("integral ".repeat(70) + "poem haiku dragon story ".repeat(40));
    return p;
  }

  private static Dataset<Row> conversations(List<String> texts) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      List<Row> ms =
          List.of(
              RowFactory.create("system", "You are helpful."),
              RowFactory.create("user", texts.get(i)),
              RowFactory.create("assistant", "ok"));
      rows.add(
          RowFactory.create("r" + i, scala.jdk.javaapi.CollectionConverters.asScala(ms).toSeq()));
    }
    rows.add(
        RowFactory.create(
            "nouser",
            scala.jdk.javaapi.CollectionConverters.asScala(
                    List.of(RowFactory.create("assistant", "hi")))
                .toSeq()));
    return spark.createDataFrame(rows, SCHEMA);
  }

  @Test
  void theTrainedPipelineIsRecognised() {
    TaskClassifierCore core = TaskClassifier.core(model).orElseThrow();
    assertEquals(3, core.numClasses());
  }

  @Test
  void tokensAndHashesEqualMllibs() {
    TaskClassifierCore core = TaskClassifier.core(model).orElseThrow();
    RegexTokenizer tok = null;
    HashingTF tf = null;
    for (var s : model.stages()) {
      if (s instanceof RegexTokenizer r) {
        tok = r;
      } else if (s instanceof HashingTF h) {
        tf = h;
      }
    }
    assertNotNull(tok);
    assertNotNull(tf);
    Dataset<Row> heads =
        spark
            .createDataFrame(
                probes().stream().map(t -> RowFactory.create(t)).toList(),
                new StructType().add(TaskClassifier.TEXT, DataTypes.StringType))
            .selectExpr(TaskClassifier.TEXT, "substring(_tc_text, 1, 600) AS _tc_head");
    List<Row> got = tok.transform(heads).select(TaskClassifier.TEXT, "_tc_tokens").collectAsList();
    assertEquals(probes().size(), got.size());
    int terms = 0;
    for (Row r : got) {
      List<String> expected = r.getList(1);
      String[] mine = core.tokens(r.getString(0));
      assertArrayEquals(expected.toArray(new String[0]), mine, r.getString(0));
      for (String t : mine) {
        assertEquals(tf.indexOf(t), core.indexOf(t), t);
        terms++;
      }
    }
    assertTrue(terms > 200, "probes have " + terms + " terms");
  }

  @Test
  void predictionsAndConfidencesEqualMllibsTransform() {
    Dataset<Row> conv = conversations(probes());
    Map<String, Row> fast = byId(TaskClassifier.apply(conv, model));
    Map<String, Row> mllib = byId(TaskClassifier.applyMllib(conv, model));
    assertEquals(mllib.keySet(), fast.keySet());
    int labelled = 0;
    for (String id : mllib.keySet()) {
      Row a = mllib.get(id);
      Row b = fast.get(id);
      if (id.equals("nouser")) {
        assertNull(b.get(1));
        assertNull(b.get(2));
        continue;
      }
      assertEquals(a.getString(1), b.getString(1), id);
      assertEquals(a.getDouble(2), b.getDouble(2), 1e-12, id);
      labelled++;
    }
    assertEquals(probes().size(), labelled);
    // The model learned something: its training texts come back with their labels.
    assertEquals("Math", fast.get("r0").getString(1));
    assertEquals("Creative writing", fast.get("r8").getString(1));
  }

  @Test
  void thePredictionIsComputedOncePerRow() {
    String plan =
        // A shuffle in between, so the optimizer cannot fold the whole query into a local relation.
        TaskClassifier.apply(conversations(probes()).repartition(2), model)
            .queryExecution()
            .optimizedPlan()
            .toString();
    int calls = plan.split("UDF\\(", -1).length - 1;
    assertEquals(1, calls, plan);
  }

  private static Map<String, Row> byId(Dataset<Row> out) {
    Map<String, Row> m = new HashMap<>();
    for (Row r :
        out.select(
                col("id"),
                col(AnnotationColumns.TASK_CATEGORY),
                col(AnnotationColumns.TASK_CATEGORY_CONFIDENCE))
            .collectAsList()) {
      m.put(r.getString(0), r);
    }
    return m;
  }
}
