package io.gristmill.curation.annotate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.IDFModel;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The task-category classifier: TF-IDF of word tokens (hashed) and a class-weighted multinomial
 * logistic regression (Spark MLlib), trained from labeled sources mapped to Magpie's 12 labels,
 * evaluated on whole held-out groups (source datasets or templates), saved as a {@link
 * PipelineModel} and applied to the first user turn of each conversation.
 */
public final class TaskClassifier {
  private TaskClassifier() {}

  static final String TEXT = "_tc_text";
  public static final String LABEL = "_tc_label";

  /** Characters of the first user turn the classifier reads. */
  public static final int MAX_TEXT_CHARS = 600;

  static final String GROUP = "_tc_group";
  private static final String INDEX = "_tc_index";
  private static final String WEIGHT = "_tc_weight";

  /** What training produced: the model, its held-out metrics and the row counts. */
  public record Trained(
      PipelineModel model,
      ClassifierMetrics heldOut,
      Map<String, Long> trainRows,
      Map<String, Long> testRows,
      List<String> heldOutGroups,
      long unlabeled) {
    /** A report a person reads: counts per label, the held-out groups and the metrics. */
    public String render() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "%-22s %8s %8s%n", "label", "train", "held out"));
      for (String l : TaskCategories.LABELS) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%-22s %8d %8d%n",
                l,
                trainRows.getOrDefault(l, 0L),
                testRows.getOrDefault(l, 0L)));
      }
      sb.append("rows whose label mapped to none of the 12: ").append(unlabeled).append('\n');
      sb.append("held-out groups: ").append(heldOutGroups).append('\n');
      sb.append(heldOut.render());
      return sb.toString();
    }
  }

  /** The labeled rows of every source: text, Magpie label, group; unmapped rows counted. */
  public static Dataset<Row> labeled(SparkSession spark, ClassifierConfig cfg) {
    Dataset<Row> all = null;
    for (ClassifierConfig.Source s : cfg.sources()) {
      Dataset<Row> raw =
          s.path().endsWith(".json")
              ? spark.read().option("multiLine", true).json(s.path())
              : spark.read().json(s.path());
      Dataset<Row> t =
          raw.select(
                  expr(s.text()).cast("string").as(TEXT),
                  expr(s.label()).cast("string").as("_raw"),
                  (s.group() == null ? lit(null) : expr(s.group())).cast("string").as("_grp"))
              .where(col(TEXT).isNotNull().and(expr("length(trim(" + TEXT + ")) > 0")));
      Column label;
      Column group;
      if (s.labels().isEmpty()) {
        label = col("_raw");
        group = lit(s.name());
      } else {
        List<String> keys = new ArrayList<>(s.labels().keySet());
        keys.sort(Comparator.comparingInt(String::length).reversed().thenComparing(k -> k));
        label = lit(null).cast("string");
        group = lit(null).cast("string");
        // Longest prefix first: build the CASE from the shortest key outwards.
        for (int i = keys.size() - 1; i >= 0; i--) {
          String k = keys.get(i);
          Column m = col("_raw").startsWith(k);
          label =
              when(m, lit(TaskCategories.canonical(s.labels().get(k)).orElseThrow()))
                  .otherwise(label);
          group = when(m, lit(s.name() + ":" + k)).otherwise(group);
        }
      }
      if (s.group() != null) {
        group = col("_grp");
      }
      // Rows with no label are kept here as null so they can be counted.
      Dataset<Row> withNull =
          t.select(col(TEXT), label.as(LABEL), group.as(GROUP))
              .withColumn(
                  LABEL, when(col(LABEL).isin(TaskCategories.LABELS.toArray()), col(LABEL)));
      all = all == null ? withNull : all.unionByName(withNull);
    }
    return all;
  }

  /** Trains on {@code cfg}'s sources, evaluates on held-out groups, and returns the model. */
  public static Trained train(SparkSession spark, ClassifierConfig cfg) {
    return trainOn(labeled(spark, cfg), cfg);
  }

  /**
   * Training rows from conversations: the first user turn as text, {@code labelColumn} as the label
   * (null or not one of the 12 labels: unlabeled, counted) and {@code groupColumn} as the holdout
   * group. This is how judge labels of a sample train the classifier that labels the rest.
   */
  public static Dataset<Row> trainingRows(
      Dataset<Row> conversations, String labelColumn, String groupColumn) {
    Column label = col(labelColumn).cast("string");
    return conversations
        .select(
            expr(AnnotationColumns.FIRST_USER_TURN_SQL).cast("string").as(TEXT),
            when(label.isin(TaskCategories.LABELS.toArray()), label).as(LABEL),
            col(groupColumn).cast("string").as(GROUP))
        .where(col(TEXT).isNotNull().and(expr("length(trim(" + TEXT + ")) > 0")));
  }

  /**
   * Trains on rows of {@link #trainingRows}' shape (text, label or null, group) with {@code cfg}'s
   * settings (its sources are not read), evaluates on held-out groups, and returns the model.
   */
  public static Trained trainOn(Dataset<Row> labeledRows, ClassifierConfig cfg) {
    Dataset<Row> rows = labeledRows.cache();
    long unlabeled = rows.where(col(LABEL).isNull()).count();
    Dataset<Row> lab = rows.where(col(LABEL).isNotNull());
    // Cap each group, in seeded hash order, so a 7,000-row subset does not swamp a 70-row label.
    Dataset<Row> capped =
        lab.withColumn(
                "_rn",
                row_number()
                    .over(
                        Window.partitionBy(col(GROUP))
                            .orderBy(xxhash64(lit(cfg.seed()), col(TEXT)), col(TEXT))))
            .where(col("_rn").leq(cfg.maxPerGroup()))
            .drop("_rn")
            .cache();
    Map<String, Map<String, Long>> groupsByLabel = new TreeMap<>();
    for (Row r : capped.groupBy(LABEL, GROUP).agg(count(lit(1))).collectAsList()) {
      groupsByLabel
          .computeIfAbsent(r.getString(0), k -> new TreeMap<>())
          .put(r.getString(1), r.getLong(2));
    }
    Set<String> test = holdout(groupsByLabel, cfg.holdoutFraction(), cfg.seed());
    Dataset<Row> trainSet = capped.where(col(GROUP).isin(test.toArray()).unary_$bang());
    Dataset<Row> testSet = capped.where(col(GROUP).isin(test.toArray()));
    Map<String, Long> trainRows = counts(trainSet);
    Map<String, Long> testRows = counts(testSet);
    long total = trainRows.values().stream().mapToLong(Long::longValue).sum();
    // Class weights n / (k * n_label): rare labels (Planning, Brainstorming, ...) weigh more.
    Column weight = lit(1.0);
    for (Map.Entry<String, Long> e : trainRows.entrySet()) {
      double w = (double) total / (trainRows.size() * (double) e.getValue());
      weight = when(col(LABEL).equalTo(e.getKey()), lit(w)).otherwise(weight);
    }
    Dataset<Row> weighted = trainSet.withColumn(WEIGHT, weight);
    StringIndexerModel indexer =
        new StringIndexer().setInputCol(LABEL).setOutputCol(INDEX).fit(weighted);
    PipelineModel model =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  // The task shows in the opening of a request; a passage or document after it
                  // costs tokenizing time and adds no signal, so only the first MAX_TEXT_CHARS
                  // characters are read, in training and when applied alike.
                  new SQLTransformer()
                      .setStatement(
                          "SELECT *, substring("
                              + TEXT
                              + ", 1, "
                              + MAX_TEXT_CHARS
                              + ") AS _tc_head FROM __THIS__"),
                  new RegexTokenizer()
                      .setInputCol("_tc_head")
                      .setOutputCol("_tc_tokens")
                      .setPattern("[^\\p{L}\\p{N}_#+]+")
                      .setToLowercase(true),
                  new HashingTF()
                      .setInputCol("_tc_tokens")
                      .setOutputCol("_tc_tf")
                      .setNumFeatures(cfg.numFeatures()),
                  new IDF().setInputCol("_tc_tf").setOutputCol("_tc_features").setMinDocFreq(2),
                  new LogisticRegression()
                      .setFeaturesCol("_tc_features")
                      .setLabelCol(INDEX)
                      .setWeightCol(WEIGHT)
                      .setFamily("multinomial")
                      .setMaxIter(cfg.maxIter())
                      .setRegParam(cfg.regParam())
                      .setPredictionCol("_tc_pred")
                      .setProbabilityCol("_tc_prob")
                      .setRawPredictionCol("_tc_raw"),
                  new IndexToString()
                      .setInputCol("_tc_pred")
                      .setOutputCol("_tc_predicted")
                      .setLabels(indexer.labelsArray()[0])
                })
            .fit(indexer.transform(weighted));
    String majority =
        trainRows.entrySet().stream()
            .max(
                Map.Entry.<String, Long>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
            .map(Map.Entry::getKey)
            .orElse("Others");
    List<String[]> pairs = new ArrayList<>();
    if (!test.isEmpty()) {
      for (Row r : model.transform(testSet).select(LABEL, "_tc_predicted").collectAsList()) {
        pairs.add(new String[] {r.getString(0), r.getString(1)});
      }
    }
    capped.unpersist();
    rows.unpersist();
    return new Trained(
        model,
        ClassifierMetrics.of(pairs, majority),
        trainRows,
        testRows,
        new ArrayList<>(new java.util.TreeSet<>(test)),
        unlabeled);
  }

  /**
   * The held-out groups: per label, groups in seeded hash order, each taken when it fits in the
   * label's remaining held-out share {@code fraction}; a label's last group always stays in
   * training (a label with one group is not evaluated). Groups are whole source datasets or
   * templates, so no template is on both sides.
   */
  static Set<String> holdout(
      Map<String, Map<String, Long>> groupsByLabel, double fraction, long seed) {
    Set<String> test = new HashSet<>();
    Map<String, Integer> labelsOfGroup = new HashMap<>();
    groupsByLabel
        .values()
        .forEach(g -> g.keySet().forEach(k -> labelsOfGroup.merge(k, 1, Integer::sum)));
    for (Map<String, Long> groups : groupsByLabel.values()) {
      long total = groups.values().stream().mapToLong(Long::longValue).sum();
      List<String> order = new ArrayList<>(groups.keySet());
      order.sort(Comparator.comparingLong((String g) -> mix(seed, g)).thenComparing(g -> g));
      long held = 0;
      int inTraining = order.size();
      for (String g : order) {
        // Whole groups only; skip a group that would overshoot the share (a 400-row subset must
        // not take a label's training rows), and always leave one group in training.
        long n = groups.get(g);
        if (inTraining > 1 && labelsOfGroup.get(g) == 1 && held + n <= fraction * total) {
          test.add(g);
          held += n;
          inTraining--;
        }
      }
    }
    return test;
  }

  private static long mix(long seed, String s) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001B3L;
    }
    return h ^ (h >>> 31);
  }

  private static Map<String, Long> counts(Dataset<Row> rows) {
    Map<String, Long> out = new TreeMap<>();
    for (Row r : rows.groupBy(LABEL).count().collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  public static void save(PipelineModel model, String dir) {
    try {
      model.write().overwrite().save(dir);
    } catch (IOException e) {
      throw io.gristmill.core.Errors.outputFailed("classifier model", dir, e);
    }
  }

  public static PipelineModel load(String dir) {
    try {
      return PipelineModel.load(dir);
    } catch (RuntimeException e) {
      throw io.gristmill.core.Errors.resourceFailed("classifier model", dir, e);
    }
  }

  /**
   * The model's steps as a {@link TaskClassifierCore}, or empty when the pipeline is not the one
   * {@link #trainOn} builds (then {@link #apply} runs MLlib's own transform).
   */
  public static java.util.Optional<TaskClassifierCore> core(PipelineModel model) {
    int maxCodePoints = Integer.MAX_VALUE;
    RegexTokenizer tok = null;
    HashingTF tf = null;
    IDFModel idf = null;
    LogisticRegressionModel lr = null;
    IndexToString labels = null;
    for (org.apache.spark.ml.Transformer t : model.stages()) {
      if (t instanceof SQLTransformer sql && tok == null) {
        java.util.regex.Matcher m = HEAD.matcher(sql.getStatement());
        if (!m.find()) {
          return java.util.Optional.empty();
        }
        maxCodePoints = Integer.parseInt(m.group(1));
      } else if (t instanceof RegexTokenizer r && tok == null) {
        tok = r;
      } else if (t instanceof HashingTF h && tok != null) {
        tf = h;
      } else if (t instanceof IDFModel i && tf != null) {
        idf = i;
      } else if (t instanceof LogisticRegressionModel l && idf != null) {
        lr = l;
      } else if (t instanceof IndexToString s && lr != null) {
        labels = s;
      } else {
        return java.util.Optional.empty();
      }
    }
    if (labels == null
        || !tok.getGaps()
        || lr.isSet(lr.thresholds())
        || lr.coefficientMatrix().numRows() != lr.numClasses()
        || lr.numClasses() < 2) {
      return java.util.Optional.empty();
    }
    int k = lr.numClasses();
    int n = tf.getNumFeatures();
    double[][] coef = new double[k][n];
    org.apache.spark.ml.linalg.Matrix m = lr.coefficientMatrix();
    for (int c = 0; c < k; c++) {
      for (int f = 0; f < n; f++) {
        coef[c][f] = m.apply(c, f);
      }
    }
    return java.util.Optional.of(
        new TaskClassifierCore(
            maxCodePoints,
            tok.getPattern(),
            tok.getToLowercase(),
            tok.getMinTokenLength(),
            n,
            tf.getBinary(),
            idf.idf().toArray(),
            coef,
            lr.interceptVector().toArray(),
            labels.getLabels()));
  }

  private static final java.util.regex.Pattern HEAD =
      java.util.regex.Pattern.compile(
          "substring\\(\\s*" + TEXT + "\\s*,\\s*1\\s*,\\s*(\\d+)\\s*\\)");

  private static final org.apache.spark.sql.types.StructType PREDICTION =
      new org.apache.spark.sql.types.StructType()
          .add("label", org.apache.spark.sql.types.DataTypes.StringType, false)
          .add("confidence", org.apache.spark.sql.types.DataTypes.DoubleType, false);

  /**
   * Adds {@code task_category} and {@code task_category_confidence} (the top class probability)
   * from the first user turn of {@code messages}; rows without a user turn get nulls. The model
   * runs as a {@link TaskClassifierCore} (broadcast once, one call per row) when its pipeline is
   * the trained one, else through MLlib's transform.
   */
  public static Dataset<Row> apply(Dataset<Row> rows, PipelineModel model) {
    java.util.Optional<TaskClassifierCore> core = core(model);
    if (core.isEmpty()) {
      return applyMllib(rows, model);
    }
    org.apache.spark.broadcast.Broadcast<TaskClassifierCore> b =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                rows.sparkSession().sparkContext())
            .broadcast(core.get());
    org.apache.spark.sql.expressions.UserDefinedFunction predict =
        org.apache.spark.sql.functions.udf(
            (org.apache.spark.sql.api.java.UDF1<String, Row>)
                t -> {
                  TaskClassifierCore.Prediction p = b.value().predict(t);
                  return org.apache.spark.sql.RowFactory.create(p.label(), p.confidence());
                },
            PREDICTION);
    Column has = expr("size(filter(messages, m -> m.role = 'user')) > 0");
    Dataset<Row> in =
        rows.withColumn(
            "_tc_p",
            when(
                has,
                predict.apply(functionsCoalesce(expr(AnnotationColumns.FIRST_USER_TURN_SQL)))));
    return in.select(outputColumns(rows, col("_tc_p.label"), col("_tc_p.confidence")));
  }

  private static Column[] outputColumns(Dataset<Row> rows, Column label, Column confidence) {
    List<Column> cols = new ArrayList<>();
    for (String c : rows.columns()) {
      if (!c.equals(AnnotationColumns.TASK_CATEGORY)
          && !c.equals(AnnotationColumns.TASK_CATEGORY_CONFIDENCE)) {
        cols.add(col(c));
      }
    }
    cols.add(label.as(AnnotationColumns.TASK_CATEGORY));
    cols.add(confidence.as(AnnotationColumns.TASK_CATEGORY_CONFIDENCE));
    return cols.toArray(Column[]::new);
  }

  /** {@link #apply} through MLlib's own pipeline transform. */
  public static Dataset<Row> applyMllib(Dataset<Row> rows, PipelineModel model) {
    Dataset<Row> in =
        rows.withColumn(TEXT, functionsCoalesce(expr(AnnotationColumns.FIRST_USER_TURN_SQL)));
    Dataset<Row> out = model.transform(in);
    Column has = expr("size(filter(messages, m -> m.role = 'user')) > 0");
    return out.select(
        outputColumns(
            rows,
            when(has, col("_tc_predicted")),
            when(
                has,
                org.apache.spark.sql.functions.array_max(
                    org.apache.spark.ml.functions.vector_to_array(col("_tc_prob"), "float64")))));
  }

  private static Column functionsCoalesce(Column c) {
    return org.apache.spark.sql.functions.coalesce(c, lit(""));
  }
}
