package io.gristmill.curation.annotate;

import static org.apache.spark.sql.functions.lit;

import io.gristmill.core.record.Message;
import io.gristmill.core.spark.SparkSchemas;
import io.gristmill.core.stage.Stage;
import io.gristmill.core.stage.StageContext;
import io.gristmill.core.stage.StageOutput;
import io.gristmill.core.stage.StageReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code annotate} stage: adds the {@link AnnotationColumns} to every row (it rejects none):
 * the heuristics on the executors (one {@link HeuristicAnnotator} per partition; Lingua and the
 * tokenizer are cached per JVM), then the task classifier when a model is configured, then imported
 * columns. Model columns nothing filled are added as nulls, so recipes can name them.
 */
public final class AnnotateSparkStage implements Stage {
  public static final String STAGE = "annotate";
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(AnnotateSparkStage.class);

  /** The heuristic columns' types, in {@link AnnotationColumns#HEURISTIC} order. */
  public static final StructType HEURISTIC_SCHEMA =
      new StructType()
          .add(AnnotationColumns.TURNS_TOTAL, DataTypes.IntegerType, false)
          .add(AnnotationColumns.TURNS_USER, DataTypes.IntegerType, false)
          .add(AnnotationColumns.MULTI_TURN, DataTypes.BooleanType, false)
          .add(AnnotationColumns.CHARS_USER, DataTypes.LongType, false)
          .add(AnnotationColumns.CHARS_ASSISTANT, DataTypes.LongType, false)
          .add(AnnotationColumns.TOKENS_USER, DataTypes.LongType, true)
          .add(AnnotationColumns.TOKENS_ASSISTANT, DataTypes.LongType, true)
          .add(AnnotationColumns.LANGUAGE, DataTypes.StringType, false)
          .add(AnnotationColumns.LANGUAGE_CONFIDENCE, DataTypes.DoubleType, false)
          .add(AnnotationColumns.HAS_CODE, DataTypes.BooleanType, false)
          .add(
              AnnotationColumns.CODE_LANGUAGES,
              DataTypes.createArrayType(DataTypes.StringType, false),
              false)
          .add(AnnotationColumns.HAS_MATH, DataTypes.BooleanType, false)
          .add(AnnotationColumns.REFUSAL, DataTypes.BooleanType, false)
          .add(AnnotationColumns.DUP_LINE_FRAC, DataTypes.DoubleType, false)
          .add(AnnotationColumns.DUP_NGRAM_FRAC, DataTypes.DoubleType, false)
          .add(AnnotationColumns.SPECIAL_CHAR_RATIO, DataTypes.DoubleType, false)
          .add(AnnotationColumns.INSTRUCTION_ENDS_COLON, DataTypes.BooleanType, false)
          .add(AnnotationColumns.SHORT_RESPONSE, DataTypes.BooleanType, false);

  /** Types of the model columns added as nulls when nothing fills them. */
  public static final Map<String, DataType> MODEL_TYPES =
      Map.of(
          AnnotationColumns.TASK_CATEGORY, DataTypes.StringType,
          AnnotationColumns.TASK_CATEGORY_CONFIDENCE, DataTypes.DoubleType,
          AnnotationColumns.INPUT_QUALITY, DataTypes.StringType,
          AnnotationColumns.DIFFICULTY, DataTypes.StringType,
          AnnotationColumns.SAFETY, DataTypes.StringType,
          AnnotationColumns.JUDGE_SCORE, DataTypes.DoubleType,
          AnnotationColumns.REWARD, DataTypes.DoubleType);

  private final AnnotateConfig config;

  public AnnotateSparkStage(AnnotateConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public StageOutput apply(Dataset<Row> input, StageContext context) {
    long start = System.nanoTime();
    List<String> details = new ArrayList<>();
    Dataset<Row> rows = heuristics(input, config);
    if (config.classifier() != null) {
      rows = TaskClassifier.apply(rows, TaskClassifier.load(config.classifier()));
      details.add("annotate: task_category from the classifier at " + config.classifier());
    }
    for (ImportedAnnotationsConfig imp : config.imported()) {
      ImportedAnnotations.Joined j = ImportedAnnotations.join(context.spark(), rows, imp);
      rows = j.rows();
      details.add(j.detail());
    }
    rows = withNullModelColumns(rows);
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
    long n = rows.count();
    details.add(
        String.format(
            Locale.ROOT,
            "annotate: %d rows tagged (%d heuristic columns; tokens %s; languages %s)",
            n,
            AnnotationColumns.HEURISTIC.size(),
            config.tokenizer() == null ? "not counted (no tokenizer)" : "by " + config.tokenizer(),
            config.languages()));
    details.forEach(LOG::info);
    double secs = (System.nanoTime() - start) / 1e9;
    Dataset<Row> none = input.sparkSession().createDataFrame(List.of(), SparkSchemas.REJECTED);
    return StageOutput.of(rows, none, new StageReport(STAGE, n, n, Map.of(), secs))
        .withDetails(details);
  }

  /**
   * {@code input} with the heuristic columns appended (existing ones of the same name replaced).
   */
  public static Dataset<Row> heuristics(Dataset<Row> input, AnnotateConfig cfg) {
    List<String> existing = new ArrayList<>(Arrays.asList(input.columns()));
    Dataset<Row> base = input;
    for (String c : AnnotationColumns.HEURISTIC) {
      if (existing.contains(c)) {
        base = base.drop(c);
      }
    }
    StructType out = base.schema();
    for (var f : HEURISTIC_SCHEMA.fields()) {
      out = out.add(f);
    }
    int messagesAt = base.schema().fieldIndex("messages");
    int width = base.schema().size();
    return base.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            it -> {
              HeuristicAnnotator a = new HeuristicAnnotator(cfg);
              return new java.util.Iterator<Row>() {
                @Override
                public boolean hasNext() {
                  return it.hasNext();
                }

                @Override
                public Row next() {
                  Row r = it.next();
                  return withHeuristics(r, width, a.annotate(messages(r, messagesAt)));
                }
              };
            },
        Encoders.row(out));
  }

  /** The messages column of a row as records (a null role or content becomes empty). */
  public static List<Message> messages(Row r, int at) {
    List<Message> out = new ArrayList<>();
    if (r.isNullAt(at)) {
      return out;
    }
    for (Row m : r.<Row>getList(at)) {
      String role = m.getString(0);
      String content = m.getString(1);
      out.add(new Message(role == null ? "" : role, content == null ? "" : content));
    }
    return out;
  }

  private static Row withHeuristics(Row r, int width, HeuristicAnnotator.Heuristics h) {
    Object[] v = new Object[width + HEURISTIC_SCHEMA.size()];
    for (int i = 0; i < width; i++) {
      v[i] = r.get(i);
    }
    int k = width;
    v[k++] = h.turnsTotal();
    v[k++] = h.turnsUser();
    v[k++] = h.multiTurn();
    v[k++] = h.charsUser();
    v[k++] = h.charsAssistant();
    v[k++] = h.tokensUser();
    v[k++] = h.tokensAssistant();
    v[k++] = h.language();
    v[k++] = h.languageConfidence();
    v[k++] = h.hasCode();
    v[k++] = scala.jdk.javaapi.CollectionConverters.asScala(h.codeLanguages()).toSeq();
    v[k++] = h.hasMath();
    v[k++] = h.refusal();
    v[k++] = h.dupLineFrac();
    v[k++] = h.dupNgramFrac();
    v[k++] = h.specialCharRatio();
    v[k++] = h.instructionEndsColon();
    v[k] = h.shortResponse();
    return RowFactory.create(v);
  }

  /** Adds each {@link AnnotationColumns#MODEL} column the rows lack, as a typed null. */
  public static Dataset<Row> withNullModelColumns(Dataset<Row> rows) {
    List<String> have = Arrays.asList(rows.columns());
    for (String c : AnnotationColumns.MODEL) {
      if (!have.contains(c)) {
        rows = rows.withColumn(c, lit(null).cast(MODEL_TYPES.get(c)));
      }
    }
    return rows;
  }
}
