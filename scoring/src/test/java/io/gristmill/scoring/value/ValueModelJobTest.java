package io.gristmill.scoring.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gristmill.core.GristmillException;
import io.gristmill.core.kind.DatasetKind;
import io.gristmill.core.snapshot.SnapshotRef;
import io.gristmill.core.testing.SharedData;
import io.gristmill.core.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueModelJobTest extends SparkTestBase {
  @TempDir Path dir;

  private ValueModelConfig gsmConfig(Path file, String type) {
    return ValueModelConfig.load(
        SharedData.repoDir().resolve("conf/value-model-gsm8k.yaml"),
        List.of(
            "train.path=" + file,
            "model_path=" + dir.resolve("model"),
            "model.type=" + type,
            "model.num_features=1024",
            "model.max_iter=20",
            "pool.path=" + file,
            "pool.format=gsm8k_example_solutions",
            "pool.text_column=prompt",
            "m=50",
            "select_output=" + dir.resolve("picked")));
  }

  @Test
  void gsm8kPassRateModelRanksHeldOutPromptsAndSelects() {
    Path file = SharedData.require("rl_prompts/gsm8k/example_model_solutions.jsonl");
    ValueModelConfig cfg = gsmConfig(file, "linear");
    ValueModelReport r = ValueModelJob.train(spark, cfg);
    ValueMetrics m = r.heldOut();
    System.out.printf(
        Locale.ROOT,
        "GSM8K value model (linear): train=%d heldout=%d spearman=%.4f pearson=%.4f mse=%.4f"
            + " brier=%.4f brier_baseline=%.4f fit=%.1fs%n",
        r.trainRows(),
        m.rows(),
        m.spearman(),
        m.pearson(),
        m.mse(),
        m.brier(),
        m.brierBaseline(),
        r.seconds());
    m.calibration().forEach(b -> System.out.println("  calibration " + b));
    assertThat(r.trainRows() + m.rows()).isEqualTo(1319);
    assertThat(m.rows()).isBetween(200L, 330L);
    assertThat(m.spearman()).isGreaterThan(0.0);
    assertThat(m.brier()).isBetween(0.0, 0.5);
    assertThat(m.calibration().stream().mapToLong(ValueMetrics.Bin::count).sum())
        .isEqualTo(m.rows());

    ValueModelReport again = ValueModelJob.evaluate(spark, cfg);
    assertThat(again.heldOut().spearman()).isEqualTo(m.spearman());

    SelectionReport s = ValueModelJob.select(spark, cfg);
    System.out.println("GSM8K select: " + s);
    // calibrated: the picked prompts' observed pass rate is near the target, not the top of the
    // ranking (uncalibrated ridge picked prompts with a mean pass rate of 0.8)
    assertThat(s.meanLabelSelected()).isBetween(0.3, 0.7);
    assertThat(s.poolRows()).isEqualTo(1319);
    assertThat(s.selected()).isEqualTo(50);
    // select_output is the dataset folder of a selection snapshot
    SnapshotRef ref =
        SnapshotRef.resolve(
            dir.resolve("picked").toString(), spark.sparkContext().hadoopConfiguration());
    assertThat(ref.kind()).isEqualTo(DatasetKind.SELECTION);
    assertThat(s.snapshotDir()).isEqualTo(ref.snapshotDir().toString());
    List<Row> picked = spark.read().parquet(ref.dataPath().toString()).collectAsList();
    assertThat(picked).hasSize(50);
    assertThat(picked)
        .allSatisfy(
            p -> {
              assertThat(p.<String>getAs("ground_truth")).isNotBlank();
              assertThat(p.<String>getAs("data_source")).isEqualTo("gsm8k");
              assertThat(p.getList(p.fieldIndex("messages"))).hasSize(1);
            });
    double maxPicked =
        picked.stream()
            .mapToDouble(p -> Math.abs(p.<Double>getAs("predicted_pass_rate") - 0.5))
            .max()
            .orElseThrow();
    assertThat(maxPicked).isEqualTo(s.maxDistance());
    // the m nearest: no unpicked prompt is strictly nearer the target than the farthest picked one
    long nearerOutside =
        ValueModelJob.predict(
                org.apache.spark.ml.PipelineModel.load(cfg.modelPath()),
                PromptTables.read(spark, cfg.pool(), false),
                cfg)
            .where(
                org.apache
                    .spark
                    .sql
                    .functions
                    .abs(org.apache.spark.sql.functions.col(ValueModelJob.PREDICTION).minus(0.5))
                    .lt(maxPicked))
            .count();
    assertThat(nearerOutside).isLessThanOrEqualTo(50);
  }

  @Test
  void mathLevelModelRanksLevels() {
    Path file = SharedData.require("rl_prompts/math/test.jsonl");
    ValueModelConfig cfg =
        ValueModelConfig.load(
            SharedData.repoDir().resolve("conf/value-model-math-level.yaml"),
            List.of(
                "train.path=" + file,
                "model_path=" + dir.resolve("math"),
                "model.num_features=1024",
                "model.max_iter=10"));
    ValueModelReport r = ValueModelJob.train(spark, cfg);
    System.out.printf(
        Locale.ROOT,
        "MATH level model: train=%d heldout=%d spearman(level)=%.4f pearson=%.4f mse=%.4f%n",
        r.trainRows(),
        r.heldOut().rows(),
        r.heldOut().spearman(),
        r.heldOut().pearson(),
        r.heldOut().mse());
    assertThat(r.trainRows() + r.heldOut().rows()).isEqualTo(5000);
    assertThat(r.heldOut().spearman()).isGreaterThan(0.2);
    assertThat(Double.isNaN(r.heldOut().brier())).isTrue();
  }

  @Test
  void missingModelFailsWithAClearMessage() {
    ValueModelConfig cfg =
        new ValueModelConfig(
            dir.resolve("none").toString(),
            null,
            null,
            new PromptTable("x.jsonl", "jsonl", null, null, null, null),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThatThrownBy(() -> ValueModelJob.select(spark, cfg))
        .isInstanceOf(GristmillException.class)
        .hasMessageContaining("Cannot load the value model from " + dir.resolve("none"));
  }
}
